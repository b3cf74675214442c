import { ConversationsService } from '../../src/conversations/conversations.service';
import { ChatErrorCode } from '../../src/errors/chat-error';
import { MessagesService } from '../../src/messages/messages.service';
import { TimelineRepository } from '../../src/persistence/repositories';
import { ReadStateService } from '../../src/read-state/read-state.service';
import { newTestService, ServiceTestKit } from '../../src/testing/service-test-kit';

/** Service tier: read markers and the unread rule (README, "Unread counts") on a real SQLite file. */
describe('ReadStateService and the unread counter (service tier, SQLite)', () => {
  let kit: ServiceTestKit;
  let conversations: ConversationsService;
  let messages: MessagesService;
  let readState: ReadStateService;

  beforeEach(async () => {
    kit = await newTestService();
    conversations = kit.get(ConversationsService);
    messages = kit.get(MessagesService);
    readState = kit.get(ReadStateService);
  });
  afterEach(() => kit.close());

  it('candidate: staff messages after the marker are unread; system lines and own messages never are', async () => {
    const carla = kit.actor('candidate1');
    const { id } = await conversations.create(carla, {});
    await messages.send(carla, id, { content: 'hola' });
    await messages.send(kit.actor('support1'), id, { content: 'respuesta 1' });
    await messages.send(kit.actor('support1'), id, { content: 'respuesta 2' });
    await conversations.updateStatus(kit.actor('support1'), id, 'resolved');
    expect(await readState.totalUnread(carla)).toEqual({ unread_count: 2, conversations_with_unread: 1 });
    const marked = await readState.markRead(carla, id, {});
    expect(marked).toMatchObject({ last_read_seq: 4, unread_count: 0 });
    expect(await readState.totalUnread(carla)).toEqual({ unread_count: 0, conversations_with_unread: 0 });
  });

  it('staff: once a colleague replied, what the candidate wrote before is not unread for the team', async () => {
    const carla = kit.actor('candidate1');
    const { id } = await conversations.create(carla, {});
    await messages.send(carla, id, { content: 'uno' });
    await messages.send(carla, id, { content: 'dos' });
    expect((await readState.totalUnread(kit.actor('support2'))).unread_count).toBe(2);
    await messages.send(kit.actor('support1'), id, { content: 'atendido' });
    expect((await readState.totalUnread(kit.actor('support2'))).unread_count).toBe(0);
    await messages.send(carla, id, { content: 'tres' });
    expect(await readState.totalUnread(kit.actor('support2'))).toEqual({ unread_count: 1, conversations_with_unread: 1 });
  });

  it('staff: reading past the team’s last reply counts only what came after my marker', async () => {
    const carla = kit.actor('candidate1');
    const sofia = kit.actor('support1');
    const { id } = await conversations.create(carla, {});
    await messages.send(carla, id, { content: 'uno' });
    await readState.markRead(sofia, id, {});
    await messages.send(carla, id, { content: 'dos' });
    expect((await conversations.list(sofia, {})).list?.conversations[0].unread_count).toBe(1);
    expect((await conversations.list(kit.actor('support2'), {})).list?.conversations[0].unread_count).toBe(2);
  });

  it('a marker never moves backwards, and a message of another conversation is a 400', async () => {
    const carla = kit.actor('candidate1');
    const { id } = await conversations.create(carla, {});
    const other = await conversations.create(carla, {});
    const first = await messages.send(carla, id, { content: 'uno' });
    await messages.send(carla, id, { content: 'dos' });
    await readState.markRead(carla, id, {});
    expect(await readState.markRead(carla, id, { last_message_id: first.message.id })).toMatchObject({ last_read_seq: 2 });
    const foreign = await messages.send(carla, other.id, { content: 'x' });
    const error = await readState.markRead(carla, id, { last_message_id: foreign.message.id }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ChatErrorCode.MessageNotFound, status: 400 });
  });

  it('a marker another request moved while this one ran: the answer is the stored marker, and only the mover announces it', async () => {
    const carla = kit.actor('candidate1');
    const sofia = kit.actor('support1');
    const { id } = await conversations.create(carla, {});
    const first = await messages.send(carla, id, { content: 'uno' });
    await messages.send(carla, id, { content: 'dos' });
    await readState.markRead(sofia, id, {});
    await messages.send(carla, id, { content: 'tres' });

    // Between this call's read of the marker and its UPDATE, another request of the same agent marks
    // everything read: this call's conditional UPDATE (to the newest message) then moves nothing.
    const timeline = kit.get(TimelineRepository);
    const position = timeline.position.bind(timeline);
    jest.spyOn(timeline, 'position').mockImplementationOnce(async (...args) => {
      const found = await position(...args);
      await readState.markRead(sofia, id, {});
      return found;
    });
    const announced = kit.events.length;
    const answer = await readState.markRead(sofia, id, {});
    expect(answer).toMatchObject({ last_read_seq: 3, unread_count: 0 });
    expect(answer.last_read_message_id).not.toBe(first.message.id);
    expect(kit.events.slice(announced).filter((event) => event.name === 'read.updated')).toHaveLength(1);
  });
});
