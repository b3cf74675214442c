import type { DataSourceOptions } from 'typeorm';

import { AutoResolveJob } from '../../src/automation/auto-resolve.job';
import { AUTO_RESOLVE_LINE } from '../../src/conversations/conversations.service';
import { SYSTEM_SENDER_ID } from '../../src/domain/system-sender';
import { ChatScenario } from '../../src/testing/chat-scenario';
import { ChatTestApp, createChatTestApp } from '../../src/testing/chat-test-app';
import { wholeMessages } from '../../src/testing/history-page';
import { testDialect } from '../../src/testing/test-database';
import { useChatTestApp } from '../../src/testing/use-chat-test-app';

const HOUR = 60 * 60 * 1000;
/** A moment past the default 72 h threshold for anything written now. */
const later = (hours = 73) => new Date(Date.now() + hours * HOUR);

async function timeline(ctx: ChatTestApp, conversationId: string) {
  const response = await ctx.as('support1').get(`/api/support/chat/conversations/${conversationId}/messages?per_page=100`).expect(200);
  return wholeMessages(response.body);
}

async function status(ctx: ChatTestApp, conversationId: string): Promise<string> {
  return (await ctx.as('support1').get(`/api/support/chat/conversations/${conversationId}`).expect(200)).body.conversation.status;
}

describe('auto-resolve job (issue 17)', () => {
  const { ctx, chat } = useChatTestApp();
  const job = () => ctx.app.get(AutoResolveJob);

  it('resolves a conversation where staff had the last word and the candidate stayed silent past the threshold, with one system line', async () => {
    const conversation = await chat.newConversation('candidate1');
    await chat.send('candidate1', conversation.id, 'No puedo iniciar mi examen');
    await chat.send('support1', conversation.id, 'Ya lo reiniciamos, ¿puedes intentar de nuevo?');

    expect(await job().runOnce(later(71))).toBe(0);
    expect(await status(ctx, conversation.id)).toBe('open');

    expect(await job().runOnce(later())).toBe(1);
    expect(await status(ctx, conversation.id)).toBe('resolved');
    const lines = (await timeline(ctx, conversation.id)).filter((m) => m.message_type === 'system');
    expect(lines).toEqual([
      expect.objectContaining({
        content: AUTO_RESOLVE_LINE,
        sender_user_id: SYSTEM_SENDER_ID,
        sender: { id: SYSTEM_SENDER_ID, full_name: 'Sistema', role: 'sistema' },
      }),
    ]);
    expect(AUTO_RESOLVE_LINE).toBe('Marcamos la conversación como resuelta por inactividad; escríbenos para reabrirla.');

    // A second pass finds nothing to do; the candidate writing reopens it as usual.
    expect(await job().runOnce(later())).toBe(0);
    await chat.send('candidate1', conversation.id, 'Sigue sin funcionar');
    expect(await status(ctx, conversation.id)).toBe('open');
  });

  it('never resolves a conversation waiting on staff, nor one without any staff reply', async () => {
    const answeredThenAsked = await chat.newConversation('candidate1');
    await chat.send('candidate1', answeredThenAsked.id, 'Hola');
    await chat.send('support1', answeredThenAsked.id, '¿En qué te ayudo?');
    await chat.send('candidate1', answeredThenAsked.id, 'Mi examen no carga');
    const neverAnswered = await chat.newConversation('candidate2');
    await chat.send('candidate2', neverAnswered.id, '¿Alguien?');

    expect(await job().runOnce(later(24 * 365))).toBe(0);
    expect(await status(ctx, answeredThenAsked.id)).toBe('open');
    expect(await status(ctx, neverAnswered.id)).toBe('open');
  });

  it('leaves resolved and closed conversations alone', async () => {
    const closed = await chat.newConversation('candidate1');
    await chat.send('support1', closed.id, 'Te escribimos por tu solicitud');
    await ctx.as('support1').patch(`/api/support/chat/conversations/${closed.id}/status`).send({ status: 'closed' }).expect(200);
    expect(await job().runOnce(later())).toBe(0);
    expect(await status(ctx, closed.id)).toBe('closed');
  });
});

describe('auto-resolve configuration', () => {
  it('0 disables it (SUPPORT_CHAT_AUTO_RESOLVE_AFTER=0)', async () => {
    const ctx = await createChatTestApp({ chat: { env: { SUPPORT_CHAT_AUTO_RESOLVE_AFTER: '0' } } });
    try {
      const chat = new ChatScenario(ctx);
      const conversation = await chat.newConversation('candidate1');
      await chat.send('support1', conversation.id, 'Hola');
      expect(await ctx.app.get(AutoResolveJob).runOnce(later(24 * 365))).toBe(0);
      expect(await status(ctx, conversation.id)).toBe('open');
    } finally {
      await ctx.close();
    }
  });

  it('a short threshold (SUPPORT_CHAT_AUTO_RESOLVE_AFTER=1s) acts on its own schedule, without waiting for the default', async () => {
    const ctx = await createChatTestApp({ chat: { env: { SUPPORT_CHAT_AUTO_RESOLVE_AFTER: '1s', SUPPORT_CHAT_AUTO_RESOLVE_CHECK_INTERVAL: '1s' } } });
    try {
      const chat = new ChatScenario(ctx);
      const conversation = await chat.newConversation('candidate1');
      await chat.send('support1', conversation.id, 'Hola, ¿sigues ahí?');
      const deadline = Date.now() + 15_000;
      while ((await status(ctx, conversation.id)) !== 'resolved' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await status(ctx, conversation.id)).toBe('resolved');
    } finally {
      await ctx.close();
    }
  });
});

/**
 * Several instances: two Nest apps on one database run the job at the same moment. Exactly one of
 * them resolves each conversation (one system line each). On PostgreSQL and MariaDB the claims really
 * race (`npm run test:postgres -- auto-resolve`); SQLite serialises the writers.
 */
describe(`auto-resolve with two instances on one ${testDialect()} database`, () => {
  let first: ChatTestApp;
  let second: ChatTestApp;

  beforeEach(async () => {
    first = await createChatTestApp();
    second = await createChatTestApp({ database: first.dataSource.options as DataSourceOptions });
  });
  afterEach(async () => {
    await second?.close();
    await first?.close();
  });

  it('resolves every due conversation exactly once, whichever instance wins each claim', async () => {
    const chat = new ChatScenario(first);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const conversation = await chat.newConversation(i % 2 === 0 ? 'candidate1' : 'candidate2');
      await chat.send('support1', conversation.id, `Respuesta ${i}`);
      ids.push(conversation.id);
    }
    const waitingOnStaff = await chat.newConversation('candidate1');
    await chat.send('candidate1', waitingOnStaff.id, 'Necesito ayuda');

    const now = later();
    const [a, b] = await Promise.all([first.app.get(AutoResolveJob).runOnce(now), second.app.get(AutoResolveJob).runOnce(now)]);
    expect(a + b).toBe(ids.length);

    for (const id of ids) {
      expect(await status(first, id)).toBe('resolved');
      const lines = (await timeline(first, id)).filter((m) => m.content === AUTO_RESOLVE_LINE);
      expect(lines).toHaveLength(1);
    }
    expect(await status(first, waitingOnStaff.id)).toBe('open');
  });

  it('survives a restart: an instance started later acts on what is already due', async () => {
    const chat = new ChatScenario(first);
    const conversation = await chat.newConversation('candidate1');
    await chat.send('support1', conversation.id, 'Quedo atento');
    await second.close();
    second = await createChatTestApp({ database: first.dataSource.options as DataSourceOptions });
    expect(await second.app.get(AutoResolveJob).runOnce(later())).toBe(1);
    expect(await status(first, conversation.id)).toBe('resolved');
  });
});
