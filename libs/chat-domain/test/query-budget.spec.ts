import { ChatScenario } from '../src/testing/chat-scenario';
import { ChatTestApp, createChatTestApp } from '../src/testing/chat-test-app';

const BASE = '/api/support/chat';

/** Listing and counting must cost a fixed number of SQL statements, never one per conversation. */
describe('query budget', () => {
  let ctx: ChatTestApp;
  let chat: ChatScenario;

  beforeAll(async () => {
    ctx = await createChatTestApp();
    chat = new ChatScenario(ctx);
  });
  afterAll(() => ctx.close());

  async function addConversations(count: number) {
    for (let i = 0; i < count; i++) {
      const { id } = await chat.newConversation(i % 2 ? 'candidate1' : 'candidate2', { subject: `Tema ${i}` });
      await chat.send(i % 2 ? 'candidate1' : 'candidate2', id, `Mensaje ${i}`);
      if (i % 3 === 0) await chat.send('support1', id, `Respuesta ${i}`);
    }
  }

  async function statementsFor(path: string, as: 'support1' | 'candidate1' = 'support1') {
    const directoryCallsBefore = ctx.users.calls;
    const { result, statements } = await ctx.queries.during(() => ctx.as(as).get(path).expect(200));
    return { body: result.body, sql: statements.length, directoryCalls: ctx.users.calls - directoryCallsBefore };
  }

  it('lists a page with the same number of queries for 3 or 30 conversations', async () => {
    await addConversations(3);
    const small = await statementsFor(`${BASE}/conversations?per_page=50`);
    expect(small.body.conversations).toHaveLength(3);
    await addConversations(27);
    const large = await statementsFor(`${BASE}/conversations?per_page=50`);
    expect(large.body.conversations).toHaveLength(30);
    expect(large.body.conversations.some((c: { unread_count: number }) => c.unread_count > 0)).toBe(true);

    expect(large.sql).toBe(small.sql);
    // The page (also its version) and the count, all a 304 costs; then its last messages, unread counts and
    // (staff only) the labels of the page's conversations.
    expect(large.sql).toBeLessThanOrEqual(5);
    // Directory: one call to authenticate, one batched lookup for every name on the page.
    expect(large.directoryCalls).toBe(small.directoryCalls);
    expect(large.directoryCalls).toBeLessThanOrEqual(2);
  });

  it('counts unread messages in one query', async () => {
    const staff = await statementsFor(`${BASE}/unread-count`);
    expect(staff.body.unread_count).toBeGreaterThan(0);
    expect(staff.sql).toBe(1);
    const candidate = await statementsFor(`${BASE}/unread-count`, 'candidate1');
    expect(candidate.sql).toBe(1);
  });

  it('marks read with one write when the marker moves, and with no write or transaction when it is already there', async () => {
    const { id } = await chat.newConversation('candidate1');
    await chat.send('candidate1', id, 'hola');
    const markRead = () => ctx.queries.during(() => ctx.as('support1').post(`${BASE}/conversations/${id}/read`).send({}).expect(200));
    const writes = (trips: string[]) => trips.filter((sql) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql)).map((sql) => sql.trim().split(/\s+/)[0].toUpperCase());

    // First time: the agent joins the conversation (the participant row), then the marker moves.
    const joining = await markRead();
    expect(joining.result.body).toMatchObject({ last_read_seq: 1, unread_count: 0 });
    expect(writes(joining.roundTrips)).toEqual(['INSERT', 'UPDATE']);

    await chat.send('candidate1', id, 'otra pregunta');
    const moving = await markRead();
    expect(moving.result.body).toMatchObject({ last_read_seq: 2, unread_count: 0 });
    expect(writes(moving.roundTrips)).toEqual(['UPDATE']);
    // The conversation, the marker, the target message, the UPDATE and the unread count.
    expect(moving.statements).toHaveLength(5);

    // Nothing new: what the web app sends each time it shows a conversation already read.
    const again = await markRead();
    expect(again.result.body).toEqual(moving.result.body);
    // The marker, then the conversation: a marker at its newest entry leaves nothing unread to count.
    expect(again.roundTrips).toHaveLength(2);
    expect(writes(again.roundTrips)).toEqual([]);

    // An older message named explicitly: nothing moves, and the count runs (the marker is not at the newest).
    await chat.send('candidate1', id, 'y otra más');
    const older = await ctx.queries.during(() =>
      ctx.as('support1').post(`${BASE}/conversations/${id}/read`).send({ last_message_id: joining.result.body.last_read_message_id }).expect(200),
    );
    expect(older.result.body).toMatchObject({ last_read_seq: 2, unread_count: 1 });
    expect(writes(older.roundTrips)).toEqual([]);
  });

  it('reads a history page in two queries however deep the page', async () => {
    const { id } = await chat.newConversation('candidate1');
    for (let i = 0; i < 30; i++) await chat.send(i % 2 ? 'candidate1' : 'support1', id, `m${i}`);
    const newest = await statementsFor(`${BASE}/conversations/${id}/messages?per_page=5`);
    const deep = await statementsFor(`${BASE}/conversations/${id}/messages?per_page=5&page=6`);
    expect(deep.body.messages.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(newest.sql).toBe(2);
    expect(deep.sql).toBe(2);
  });
});

describe('polling the inbox with ETags', () => {
  let ctx: ChatTestApp;
  let chat: ChatScenario;

  beforeAll(async () => {
    ctx = await createChatTestApp();
    chat = new ChatScenario(ctx);
  });
  afterAll(() => ctx.close());

  const poll = (as: 'support1' | 'support2' | 'candidate1', etag?: string) => {
    const request = ctx.as(as).get(`${BASE}/conversations`);
    return etag ? request.set('If-None-Match', etag) : request;
  };

  it('answers 304 with two queries (the page and the count) while nothing changed, and 200 after any change the page shows', async () => {
    const { id } = await chat.newConversation('candidate1');
    const first = await poll('support1').expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/".+"$/);

    const { result, statements } = await ctx.queries.during(() => poll('support1', etag).expect(304));
    expect(result.text).toBe('');
    expect(statements).toHaveLength(2);

    // A new message, a read marker, a status or assignment change each produce a new version.
    const changes: (() => Promise<unknown>)[] = [
      () => chat.send('candidate1', id, 'hola'),
      () => ctx.as('support1').post(`${BASE}/conversations/${id}/read`).send({}).expect(200),
      () => ctx.as('support2').patch(`${BASE}/conversations/${id}`).send({ priority: 'high' }).expect(200),
      () => ctx.as('support2').patch(`${BASE}/conversations/${id}/status`).send({ status: 'resolved' }).expect(200),
      () => chat.newConversation('candidate2'),
    ];
    let current = etag;
    for (const change of changes) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      await change();
      const response = await poll('support1', current).expect(200);
      expect(response.headers.etag).not.toBe(current);
      current = response.headers.etag;
    }
  });

  it('versions a page by what it shows: a change to a conversation on another page keeps the 304', async () => {
    const older = await chat.newConversation('candidate1');
    const newer = await chat.newConversation('candidate2');
    const firstPage = () => ctx.as('support1').get(`${BASE}/conversations?per_page=1`);
    const before = await firstPage().expect(200);
    expect(before.body.conversations[0].id).toBe(newer.id);

    await ctx.as('support2').patch(`${BASE}/conversations/${older.id}`).send({ priority: 'high' }).expect(200);
    await firstPage().set('If-None-Match', before.headers.etag).expect(304);

    await ctx.as('support2').patch(`${BASE}/conversations/${newer.id}`).send({ priority: 'low' }).expect(200);
    const after = await firstPage().set('If-None-Match', before.headers.etag).expect(200);
    expect(after.body.conversations[0].priority).toBe('low');
  });

  it('gives different users different versions of the same list', async () => {
    const a = await poll('support1').expect(200);
    const b = await poll('support2').expect(200);
    expect(a.headers.etag).not.toBe(b.headers.etag);
    await poll('support2', a.headers.etag).expect(200);
  });
});
