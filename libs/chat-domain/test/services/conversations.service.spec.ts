import { ConversationsService } from '../../src/conversations/conversations.service';
import { ChatError, ChatErrorCode } from '../../src/errors/chat-error';
import { SupportConversationParticipantEntity, SupportMessageEntity } from '../../src/persistence/entities';
import { newTestService, ServiceTestKit } from '../../src/testing/service-test-kit';

/** Service tier: ConversationsService on a real SQLite file, no HTTP. */
describe('ConversationsService (service tier, SQLite)', () => {
  let kit: ServiceTestKit;
  let conversations: ConversationsService;

  beforeEach(async () => {
    kit = await newTestService({ limits: { maxOpenConversationsPerCandidate: 2 } });
    conversations = kit.get(ConversationsService);
  });
  afterEach(() => kit.close());

  it('refuses a candidate a conversation beyond the open limit, and writes nothing', async () => {
    const carla = kit.actor('candidate1');
    await conversations.create(carla, { subject: 'uno' });
    await conversations.create(carla, { subject: 'dos' });
    const refused = await conversations.create(carla, { subject: 'tres' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChatError);
    expect((refused as ChatError).code).toBe(ChatErrorCode.OpenConversationLimit);
    expect(await kit.dataSource.getRepository(SupportConversationParticipantEntity).count()).toBe(2);
    // Staff acting for the candidate are not limited.
    await expect(conversations.create(kit.actor('support1'), { candidate_user_id: carla.id })).resolves.toMatchObject({ status: 'open' });
  });

  it('a status change is one system line in the timeline, with the next seq, and does not count as unanswered', async () => {
    const carla = kit.actor('candidate1');
    const created = await conversations.create(carla, { subject: 'examen' });
    const updated = await conversations.updateStatus(carla, created.id, 'resolved');
    expect(updated.status).toBe('resolved');
    const lines = await kit.dataSource.getRepository(SupportMessageEntity).find({ where: { conversationId: created.id } });
    expect(lines.map((line) => [line.seq, line.messageType])).toEqual([[1, 'system']]);
    const { list } = await conversations.list(kit.actor('support1'), {});
    expect(list?.conversations[0]).toMatchObject({ id: created.id, unread_count: 0 });
  });

  it('assigning makes the agent a participant once, and the assigned-to-me inbox lists the conversation', async () => {
    const sofia = kit.actor('support1');
    const created = await conversations.create(kit.actor('candidate1'), { subject: 'pago' });
    await conversations.update(sofia, created.id, { assigned_support_user_id: sofia.id });
    await conversations.update(sofia, created.id, { assigned_support_user_id: sofia.id, priority: 'high' });
    const participants = await kit.dataSource.getRepository(SupportConversationParticipantEntity).findBy({ conversationId: created.id });
    expect(participants.map((p) => p.participantRole).sort()).toEqual(['candidate', 'support']);
    const mine = await conversations.list(sofia, { assigned_to_me: true });
    expect(mine.list?.conversations.map((c) => [c.id, c.priority])).toEqual([[created.id, 'high']]);
    expect((await conversations.list(kit.actor('support2'), { assigned_to_me: true })).list?.total).toBe(0);
  });

  it('the inbox search matches the subject, and each filter shape gets its own statement', async () => {
    const staff = kit.actor('support1');
    const a = await conversations.create(kit.actor('candidate1'), { subject: 'Problema con el pago' });
    await conversations.create(kit.actor('candidate2'), { subject: 'Otra cosa' });
    const bySubject = await conversations.list(staff, { search: 'PAGO' });
    expect(bySubject.list?.conversations.map((c) => c.id)).toEqual([a.id]);
    // Same request without the filter right after: a shared statement would return the filtered page.
    expect((await conversations.list(staff, {})).list?.total).toBe(2);
    expect((await conversations.list(staff, { status: 'closed' })).list?.total).toBe(0);
  });

  it('a candidate cannot see another candidate’s conversation (404, not 403)', async () => {
    const created = await conversations.create(kit.actor('candidate1'), {});
    const error = await conversations.get(kit.actor('candidate2'), created.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ChatErrorCode.ConversationNotFound, status: 404 });
  });
});
