import { ChatScenario } from '../src/testing/chat-scenario';
import { ChatTestApp, createChatTestApp } from '../src/testing/chat-test-app';

const BASE = '/api/support/chat';
const png = { name: 'captura.png', mime_type: 'image/png', size_bytes: 2048 };

/**
 * `allowInsecureAttachmentPrefixes` (SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES): a local demo
 * without TLS serves uploads over http; only URLs under the configured http prefixes are accepted.
 */
describe('http attachment URLs under an explicitly allowed prefix', () => {
  const PREFIXES = ['http://localhost:3000/api/uploads/', 'https://files.example.com/'];

  async function sendWith(
    config: { allowInsecureAttachmentPrefixes: boolean; attachmentUrlPrefixes?: string[] },
    url: string,
  ): Promise<{ status: number; code?: string }> {
    const ctx: ChatTestApp = await createChatTestApp({ chat: { config: { attachmentUrlPrefixes: PREFIXES, ...config } } });
    try {
      const chat = new ChatScenario(ctx);
      const conversation = await chat.newConversation('candidate1', { subject: 'Adjunto' });
      const response = await ctx
        .as('candidate1')
        .post(`${BASE}/conversations/${conversation.id}/messages`)
        .send({ attachment: { ...png, url } });
      return { status: response.status, code: response.body.code };
    } finally {
      await ctx.close();
    }
  }

  it('accepts an http URL under an http prefix when the setting is on', async () => {
    expect(await sendWith({ allowInsecureAttachmentPrefixes: true }, 'http://localhost:3000/api/uploads/abc/captura.png')).toEqual({
      status: 201,
      code: undefined,
    });
  });

  it('still refuses http URLs when the setting is off (and http prefixes are then a configuration error)', async () => {
    await expect(sendWith({ allowInsecureAttachmentPrefixes: false }, 'http://localhost:3000/api/uploads/a.png')).rejects.toThrow('must start with https://');
    expect(await sendWith({ allowInsecureAttachmentPrefixes: false, attachmentUrlPrefixes: [] }, 'http://localhost:3000/api/uploads/abc/captura.png')).toEqual({
      status: 400,
      code: 'attachment_url_invalid',
    });
  });

  it.each([
    ['another http origin', 'http://evil.example.net/api/uploads/a.png', 'attachment_url_invalid'],
    ['another port', 'http://localhost:30001/api/uploads/a.png', 'attachment_url_invalid'],
    ['the https prefix host over http', 'http://files.example.com/a.png', 'attachment_url_invalid'],
    ['a javascript: URL', 'javascript:alert(1)//http://localhost:3000/api/uploads/', 'attachment_url_invalid'],
  ])('refuses %s even when the setting is on', async (_name, url, code) => {
    expect(await sendWith({ allowInsecureAttachmentPrefixes: true }, url)).toEqual({ status: 400, code });
  });
});
