import { ConversationsService } from '../../src/conversations/conversations.service';
import { ChatErrorCode } from '../../src/errors/chat-error';
import { MessagesService } from '../../src/messages/messages.service';
import { SupportMessageEntity } from '../../src/persistence/entities';
import { newTestService, ServiceTestKit } from '../../src/testing/service-test-kit';

/** Service tier: MessagesService on a real SQLite file, no HTTP. */
describe('MessagesService (service tier, SQLite)', () => {
  let kit: ServiceTestKit;
  let conversations: ConversationsService;
  let messages: MessagesService;

  beforeEach(async () => {
    kit = await newTestService();
    conversations = kit.get(ConversationsService);
    messages = kit.get(MessagesService);
  });
  afterEach(() => kit.close());

  const timeline = (conversationId: string) => kit.dataSource.getRepository(SupportMessageEntity).find({ where: { conversationId }, order: { seq: 'ASC' } });

  it('gives concurrent sends gap-free seqs through the one append path', async () => {
    const carla = kit.actor('candidate1');
    const { id } = await conversations.create(carla, {});
    await Promise.all(Array.from({ length: 10 }, (_, i) => messages.send(carla, id, { content: `m${i}` })));
    expect((await timeline(id)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('the first staff reply assigns the conversation; a later agent does not take it over', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    await messages.send(kit.actor('support1'), id, { content: 'hola' });
    await messages.send(kit.actor('support2'), id, { content: 'yo también' });
    expect((await conversations.get(kit.actor('support1'), id)).assigned_support_user_id).toBe(kit.actor('support1').id);
  });

  it('a candidate writing in a resolved conversation reopens it: a system line, then the message', async () => {
    const carla = kit.actor('candidate1');
    const { id } = await conversations.create(carla, {});
    await conversations.updateStatus(kit.actor('support1'), id, 'resolved');
    await messages.send(carla, id, { content: 'sigue sin funcionar' });
    expect((await timeline(id)).map((m) => [m.seq, m.messageType])).toEqual([
      [1, 'system'],
      [2, 'system'],
      [3, 'text'],
    ]);
    expect((await conversations.get(carla, id)).status).toBe('open');
  });

  it('refuses a message in a closed conversation and writes nothing', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    await conversations.updateStatus(kit.actor('support1'), id, 'closed');
    const error = await messages.send(kit.actor('candidate1'), id, { content: 'hola' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ChatErrorCode.ConversationClosed });
    expect((await timeline(id)).map((m) => m.messageType)).toEqual(['system']);
  });

  it('a retried client_message_id returns the stored message; reused in another conversation it is a 409', async () => {
    const carla = kit.actor('candidate1');
    const first = await conversations.create(carla, {});
    const second = await conversations.create(carla, {});
    const clientId = '11111111-1111-4111-8111-111111111111';
    const sent = await messages.send(carla, first.id, { content: 'uno', client_message_id: clientId });
    const retried = await messages.send(carla, first.id, { content: 'uno', client_message_id: clientId });
    expect(retried).toEqual({ message: sent.message, replayed: true });
    const conflict = await messages.send(carla, second.id, { content: 'uno', client_message_id: clientId }).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ code: ChatErrorCode.ClientMessageIdConflict, status: 409 });
    expect(await timeline(second.id)).toEqual([]);
  });

  it('history pages are seq ranges, newest page first', async () => {
    const carla = kit.actor('candidate1');
    const { id } = await conversations.create(carla, {});
    for (let i = 1; i <= 5; i++) await messages.send(carla, id, { content: `m${i}` });
    const newest = await messages.history(carla, id, { per_page: 2 });
    expect(newest.messages.map((m) => m.content)).toEqual(['m4', 'm5']);
    const older = await messages.history(carla, id, { per_page: 2, before_seq: 4 });
    expect(older.messages.map((m) => m.content)).toEqual(['m2', 'm3']);
  });
});
