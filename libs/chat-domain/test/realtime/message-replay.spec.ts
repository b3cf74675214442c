import { SupportMessageEntity } from '../../src/persistence/entities';
import { MessageReplay } from '../../src/realtime/message-replay';
import { TEST_USERS } from '../../src/testing/chat-test-app';
import { useChatTestApp } from '../../src/testing/use-chat-test-app';

/** On the configured dialect (SQLite by default; `npm run test:postgres|mariadb` run it there too). */
describe('MessageReplay.between: filling a hole from the database', () => {
  const { ctx, chat } = useChatTestApp();

  it('returns the messages strictly between two positions, in order, and only those written since a moment when asked', async () => {
    const { id } = await chat.newConversation('candidate1');
    for (const content of ['uno', 'dos', 'tres', 'cuatro']) await chat.send('candidate1', id, content);
    // Messages 1 and 2 were written long ago (before the instance went live), 3 and 4 just now.
    await ctx.dataSource.manager.update(SupportMessageEntity, { conversationId: id, seq: 1 }, { createdAt: new Date('2020-01-01T00:00:00Z') });
    await ctx.dataSource.manager.update(SupportMessageEntity, { conversationId: id, seq: 2 }, { createdAt: new Date('2020-01-02T00:00:00Z') });
    const replay = ctx.app.get(MessageReplay);
    const seqs = async (after: number, before: number, since?: Date) =>
      (await replay.between(id, TEST_USERS.candidate1.id, after, before, since)).map((event) => event.data.message.seq);

    expect(await seqs(0, 4)).toEqual([1, 2, 3]);
    expect(await seqs(1, 4)).toEqual([2, 3]);
    expect(await seqs(0, 5, new Date('2021-01-01T00:00:00Z'))).toEqual([3, 4]);
    expect(await seqs(0, 5, new Date('2020-01-01T12:00:00Z'))).toEqual([2, 3, 4]);
    expect(await seqs(3, 4)).toEqual([]);
  });
});
