import { ChatScenario } from '../src/testing/chat-scenario';
import { ChatTestApp, createChatTestApp } from '../src/testing/chat-test-app';

const BASE = '/api/support/chat';
const png = { url: 'https://files.example.com/u/1/captura.png', name: 'captura.png', mime_type: 'image/png', size_bytes: 2048 };

describe('payload validation', () => {
  let ctx: ChatTestApp;
  let chat: ChatScenario;
  let conversationId: string;

  beforeAll(async () => {
    ctx = await createChatTestApp({
      chat: {
        config: {
          maxMessageLength: 20,
          maxSubjectLength: 10,
          attachmentMaxBytes: 5000,
          attachmentUrlPrefixes: ['https://files.example.com', 'https://storage.example.com/chat/'],
        },
      },
    });
    chat = new ChatScenario(ctx);
    conversationId = (await chat.newConversation('candidate1', { subject: 'Ayuda' })).id;
  });
  afterAll(() => ctx.close());

  const messageCount = async () => Number((await ctx.dataSource.query('SELECT COUNT(*) AS n FROM support_messages'))[0].n);
  const send = (body: unknown) =>
    ctx
      .as('candidate1')
      .post(`${BASE}/conversations/${conversationId}/messages`)
      .send(body as object);

  it.each([
    ['no content and no attachment', {}, 'message_empty'],
    ['blank content', { content: '   \n ' }, 'message_empty'],
    ['content over the configured maximum', { content: 'x'.repeat(21) }, 'message_too_long'],
    ['content over the schema maximum', { content: 'x'.repeat(40000) }, 'message_too_long'],
    ['content of the wrong type', { content: 42 }, 'validation_failed'],
    ['attachment without url', { attachment: { ...png, url: undefined } }, 'attachment_url_required'],
    ['attachment with an http url', { attachment: { ...png, url: 'http://files.example.com/a.png' } }, 'attachment_url_invalid'],
    ['attachment with a javascript url', { attachment: { ...png, url: 'javascript:alert(1)' } }, 'attachment_url_invalid'],
    ['attachment with credentials in the url', { attachment: { ...png, url: 'https://user:pw@files.example.com/a.png' } }, 'attachment_url_invalid'],
    ['attachment outside the allowed storage', { attachment: { ...png, url: 'https://evil.example.net/a.png' } }, 'attachment_url_not_allowed'],
    // The hostile URLs of issue 13: a string prefix check accepted all three.
    [
      'attachment on a host that extends an allowed one',
      { attachment: { ...png, url: 'https://files.example.com.evil.example/a.png' } },
      'attachment_url_not_allowed',
    ],
    [
      'attachment escaping the allowed path with ..',
      { attachment: { ...png, url: 'https://storage.example.com/chat/../other/x.png' } },
      'attachment_url_not_allowed',
    ],
    [
      'attachment escaping the allowed path with %2e%2e',
      { attachment: { ...png, url: 'https://storage.example.com/chat/%2e%2e/x.png' } },
      'attachment_url_not_allowed',
    ],
    [
      'attachment escaping the allowed path with %2f',
      { attachment: { ...png, url: 'https://storage.example.com/chat/..%2Fother/x.png' } },
      'attachment_url_not_allowed',
    ],
    ['attachment on another port of an allowed origin', { attachment: { ...png, url: 'https://files.example.com:8443/a.png' } }, 'attachment_url_not_allowed'],
    ['attachment beside the allowed path', { attachment: { ...png, url: 'https://storage.example.com/chatroom/x.png' } }, 'attachment_url_not_allowed'],
    ['attachment without mime type', { attachment: { ...png, mime_type: undefined } }, 'attachment_mime_required'],
    ['attachment with a mime type outside the whitelist', { attachment: { ...png, mime_type: 'application/x-msdownload' } }, 'attachment_mime_not_allowed'],
    ['attachment over the size limit', { attachment: { ...png, size_bytes: 5001 } }, 'attachment_too_large'],
    ['attachment with a negative size', { attachment: { ...png, size_bytes: -1 } }, 'attachment_size_invalid'],
    ['attachment with a fractional size', { attachment: { ...png, size_bytes: 1.5 } }, 'attachment_size_invalid'],
    ['attachment with a string size', { attachment: { ...png, size_bytes: '2048' } }, 'attachment_size_invalid'],
    ['attachment that is not an object', { attachment: 'https://files.example.com/a.png' }, 'validation_failed'],
    ['an unknown field', { content: 'hola', sender_user_id: 'x' }, 'unknown_field'],
    ['an unknown attachment field', { attachment: { ...png, extra: 1 } }, 'unknown_field'],
    ['a client_message_id that is not a UUID', { content: 'hola', client_message_id: 'abc' }, 'invalid_client_message_id'],
  ])('rejects %s with 400 %s and stores nothing', async (_name, body, code) => {
    const before = await messageCount();
    const response = await send(body).expect(400);
    expect(response.body).toMatchObject({ code, error: expect.any(String) });
    expect(response.body.details?.[0]?.code ?? code).toBe(code);
    expect(await messageCount()).toBe(before);
  });

  it('accepts attachment URLs under an allowed origin or path, compared as URLs', async () => {
    for (const url of ['https://storage.example.com/chat/x.png', 'https://storage.example.com/chat/sub/x%20y.png', 'https://FILES.example.com:443/a/b.png']) {
      const response = await send({ attachment: { ...png, url } });
      expect([url, response.status]).toEqual([url, 201]);
    }
  });

  it('accepts text, an attachment, or both, at the limits', async () => {
    await send({ content: 'x'.repeat(20) }).expect(201);
    const attachment = await send({ attachment: { ...png, size_bytes: 5000, mime_type: 'IMAGE/PNG' } }).expect(201);
    expect(attachment.body.message).toMatchObject({ message_type: 'attachment', content: null, attachment: { ...png, size_bytes: 5000 } });
    const both = await send({ content: 'mira', attachment: png }).expect(201);
    expect(both.body.message).toMatchObject({ message_type: 'attachment', content: 'mira' });
  });

  it('stores text exactly as sent (emoji, RTL, markup) and trims only the subject', async () => {
    // 20 code points (the configured maximum), 22 UTF-16 units.
    const content = ' <b>hola</b> 👩🏽‍💻 مر';
    const response = await send({ content }).expect(201);
    expect(response.body.message.content).toBe(content);
  });

  it.each([
    ['a subject over the configured maximum', { subject: 'x'.repeat(11) }, 'subject_too_long'],
    ['a subject over the schema maximum', { subject: 'x'.repeat(1001) }, 'subject_too_long'],
    ['a non-string subject', { subject: ['a'] }, 'validation_failed'],
    ['an unknown priority', { priority: 'urgent' }, 'invalid_priority'],
    ['an unknown field', { subject: 'Hola', status: 'closed' }, 'unknown_field'],
  ])('rejects a conversation with %s', async (_name, body, code) => {
    const before = Number((await ctx.dataSource.query('SELECT COUNT(*) AS n FROM support_conversations'))[0].n);
    const response = await ctx.as('candidate1').post(`${BASE}/conversations`).send(body).expect(400);
    expect(response.body.code).toBe(code);
    expect(Number((await ctx.dataSource.query('SELECT COUNT(*) AS n FROM support_conversations'))[0].n)).toBe(before);
  });

  it('accepts a subject at the limit after trimming', async () => {
    const response = await ctx
      .as('candidate1')
      .post(`${BASE}/conversations`)
      .send({ subject: `   ${'x'.repeat(10)}   ` })
      .expect(201);
    expect(response.body.conversation.subject).toBe('x'.repeat(10));
  });

  it.each([
    ['per_page=0', 'invalid_per_page'],
    ['per_page=00000000000000000000', 'invalid_per_page'],
    ['per_page=-5', 'invalid_per_page'],
    ['per_page=2.5', 'invalid_per_page'],
    ['per_page=abc', 'invalid_per_page'],
    ['per_page=1e3', 'invalid_per_page'],
    ['page=abc', 'invalid_page'],
    ['page=1e3', 'invalid_page'],
    ['page=-1', 'invalid_page'],
    ['status=archived', 'invalid_status'],
    ['assigned_to_me=yes', 'invalid_assigned_to_me'],
    ['unknown=1', 'unknown_field'],
  ])('rejects the list query %s', async (query, code) => {
    const response = await ctx.as('support1').get(`${BASE}/conversations?${query}`).expect(400);
    expect(response.body.code).toBe(code);
  });

  it.each([
    ['per_page=0', 'invalid_per_page'],
    ['per_page=-1', 'invalid_per_page'],
    ['per_page=10.5', 'invalid_per_page'],
    ['before_seq=0', 'invalid_before_seq'],
    ['after_seq=-1', 'invalid_after_seq'],
    ['page=0', 'invalid_page'],
  ])('rejects the history query %s', async (query, code) => {
    const response = await ctx.as('candidate1').get(`${BASE}/conversations/${conversationId}/messages?${query}`).expect(400);
    expect(response.body.code).toBe(code);
  });

  it.each([
    ['101', 100],
    ['5000', 100],
    ['99999999999999999999', 100],
    ['100', 100],
    ['7', 7],
  ])('clamps the list per_page=%s to %d and says so', async (perPage, effective) => {
    const response = await ctx.as('support1').get(`${BASE}/conversations?per_page=${perPage}`).expect(200);
    expect(response.body.per_page).toBe(effective);
  });

  it.each([
    ['201', 200],
    ['100000', 200],
    ['200', 200],
    ['150', 150],
  ])('clamps the history per_page=%s to %d and says so', async (perPage, effective) => {
    const response = await ctx.as('candidate1').get(`${BASE}/conversations/${conversationId}/messages?per_page=${perPage}`).expect(200);
    expect(response.body.per_page).toBe(effective);
  });

  it('answers 404 for conversation ids that are not UUIDs', async () => {
    const response = await ctx.as('support1').get(`${BASE}/conversations/not-a-uuid/messages`).expect(404);
    expect(response.body.code).toBe('conversation_not_found');
  });

  it('rejects a body that is an array or a scalar', async () => {
    const array = await ctx
      .as('candidate1')
      .post(`${BASE}/conversations/${conversationId}/messages`)
      .send([{ content: 'hola' }]);
    expect(array.status).toBe(400);
  });
});
