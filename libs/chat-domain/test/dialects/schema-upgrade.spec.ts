import { Logger } from '@nestjs/common';

import { checkAndCreateSupportChatTables } from '../../src/persistence/schema/check-and-create-support-chat-tables';
import { ChatScenario } from '../../src/testing/chat-scenario';
import { ChatTestApp, createChatTestApp, TestUserKey } from '../../src/testing/chat-test-app';
import { DIALECT_LABEL } from './dialect-database';

const BASE = '/api/support/chat';
const silent = { log: () => undefined };

/**
 * Upgrading a database written by 0.1 (no `unanswered_candidate_messages`): the start-up check adds the
 * column and fills it from the messages with exactly the values the writer maintains for new rows, so
 * every unread count is the same before and after.
 */
describe(`schema upgrade: a column added to tables that hold rows is filled (${DIALECT_LABEL})`, () => {
  let ctx: ChatTestApp;
  let chat: ChatScenario;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    ctx = await createChatTestApp();
    chat = new ChatScenario(ctx);
  }, 60_000);
  afterAll(() => ctx?.close());

  const unanswered = async () =>
    Object.fromEntries(
      (await ctx.dataSource.query('SELECT id, unanswered_candidate_messages AS n FROM support_conversations')).map(
        (row: { id: string; n: number | string }) => [row.id, Number(row.n)],
      ),
    );
  const unreadSeenBy = async (users: TestUserKey[]) => {
    const seen: Record<string, unknown> = {};
    for (const user of users) {
      seen[`${user} total`] = (await ctx.as(user).get(`${BASE}/unread-count`).expect(200)).body;
      const list = await ctx.as(user).get(`${BASE}/conversations?per_page=50`).expect(200);
      seen[`${user} list`] = list.body.conversations.map((c: { id: string; unread_count: number }) => [c.id, c.unread_count]);
    }
    return seen;
  };

  it('fills the new column from the messages, with the values the writer keeps, and changes no unread count', async () => {
    // Conversations in every state the counter distinguishes.
    const waiting = await chat.newConversation('candidate1', { subject: 'Sin respuesta' });
    await chat.send('candidate1', waiting.id, 'uno');
    await chat.send('candidate1', waiting.id, 'dos');
    const answered = await chat.newConversation('candidate2', { subject: 'Respondida' });
    await chat.send('candidate2', answered.id, 'hola');
    await chat.send('support1', answered.id, 'respuesta');
    const followUp = await chat.newConversation('candidate1', { subject: 'Siguió escribiendo' });
    await chat.send('candidate1', followUp.id, 'pregunta');
    await chat.send('support2', followUp.id, 'respuesta');
    await chat.send('candidate1', followUp.id, 'otra pregunta');
    await ctx.as('support1').post(`${BASE}/conversations/${followUp.id}/read`).send({}).expect(200);
    await chat.send('candidate1', followUp.id, 'y otra más');
    const withSystem = await chat.newConversation('candidate2', { subject: 'Con cambios de estado' });
    await chat.send('candidate2', withSystem.id, 'ayuda');
    await ctx.as('support2').patch(`${BASE}/conversations/${withSystem.id}/status`).send({ status: 'resolved' }).expect(200);
    await chat.send('candidate2', withSystem.id, 'sigue sin funcionar'); // reopens it: a system entry, then the message
    await chat.newConversation('candidate1', { subject: 'Vacía' });

    const maintained = await unanswered();
    expect(Object.values(maintained).sort()).toEqual([0, 0, 2, 2, 2]);
    const before = await unreadSeenBy(['support1', 'support2', 'candidate1', 'candidate2']);

    // Back to the 0.1 schema, rows kept.
    const runner = ctx.dataSource.createQueryRunner();
    try {
      await runner.dropIndex('support_conversations', 'ix_support_conversations_unanswered');
      // Plain DDL: TypeORM rebuilds the table on SQLite, which the other tables' foreign keys refuse.
      await runner.query('ALTER TABLE support_conversations DROP COLUMN unanswered_candidate_messages');
    } finally {
      await runner.release();
    }

    const report = await checkAndCreateSupportChatTables(ctx.dataSource, silent);
    expect(report).toEqual({
      createdTables: [],
      addedColumns: ['support_conversations.unanswered_candidate_messages'],
      createdIndices: ['ix_support_conversations_unanswered'],
    });
    expect(await unanswered()).toEqual(maintained);
    expect(await unreadSeenBy(['support1', 'support2', 'candidate1', 'candidate2'])).toEqual(before);
    expect(await checkAndCreateSupportChatTables(ctx.dataSource, silent)).toEqual({ createdTables: [], addedColumns: [], createdIndices: [] });
  });
});
