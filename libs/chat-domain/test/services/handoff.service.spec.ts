import { ConversationsService } from '../../src/conversations/conversations.service';
import { ChatErrorCode } from '../../src/errors/chat-error';
import { HANDOFF_LINES, HandoffService } from '../../src/handoff/handoff.service';
import { MessagesService } from '../../src/messages/messages.service';
import { SupportConversationEntity, SupportMessageEntity } from '../../src/persistence/entities';
import { newTestService, ServiceTestKit } from '../../src/testing/service-test-kit';

/** Service tier: internal notes, transfer, escalation and the unassigned queue on real SQLite. */
describe('HandoffService (service tier, SQLite)', () => {
  let kit: ServiceTestKit;
  let conversations: ConversationsService;
  let messages: MessagesService;
  let handoff: HandoffService;

  beforeEach(async () => {
    kit = await newTestService();
    conversations = kit.get(ConversationsService);
    messages = kit.get(MessagesService);
    handoff = kit.get(HandoffService);
  });
  afterEach(() => kit.close());

  const row = (id: string) => kit.dataSource.getRepository(SupportConversationEntity).findOneByOrFail({ id });
  const timeline = (conversationId: string) => kit.dataSource.getRepository(SupportMessageEntity).find({ where: { conversationId }, order: { seq: 'ASC' } });
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no error',
      (error: { code?: string }) => error.code,
    );

  it('a note takes a seq and changes nothing else: no reopening, no assignment, no counters, no times', async () => {
    const carla = kit.actor('candidate1');
    const { id } = await conversations.create(carla, {});
    await messages.send(carla, id, { content: 'ayuda' });
    await conversations.updateStatus(kit.actor('support1'), id, 'resolved');
    const before = await row(id);
    const { message } = await handoff.addNote(kit.actor('support1'), id, { content: 'nota' });
    const after = await row(id);
    expect(message.message_type).toBe('note');
    expect(after.lastMessageSeq).toBe(before.lastMessageSeq + 1);
    expect({ ...after, lastMessageSeq: before.lastMessageSeq }).toEqual(before);
  });

  it('notes are allowed on a closed conversation and are idempotent by client_message_id', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    await conversations.updateStatus(kit.actor('support1'), id, 'closed');
    const clientMessageId = '3f0c1c1e-8f1a-4f59-9b7b-2b3b1c1d1e1f';
    const first = await handoff.addNote(kit.actor('support1'), id, { content: 'cerrada por duplicado', client_message_id: clientMessageId });
    const again = await handoff.addNote(kit.actor('support1'), id, { content: 'cerrada por duplicado', client_message_id: clientMessageId });
    expect([first.replayed, again.replayed, again.message.id]).toEqual([false, true, first.message.id]);
    expect((await row(id)).status).toBe('closed');
  });

  it('rejects blank and over-long notes and candidates, writing nothing', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    expect(await code(handoff.addNote(kit.actor('support1'), id, { content: '   ' }))).toBe(ChatErrorCode.MessageEmpty);
    expect(await code(handoff.addNote(kit.actor('support1'), id, { content: 'x'.repeat(4001) }))).toBe(ChatErrorCode.MessageTooLong);
    expect(await code(handoff.addNote(kit.actor('candidate1'), id, { content: 'hola' }))).toBe(ChatErrorCode.Forbidden);
    expect(await timeline(id)).toEqual([]);
  });

  it('a mention of a colleague notifies them; unknown handles and e-mails are just text', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    await handoff.addNote(kit.actor('support1'), id, { content: '@admin1 mira esto; @nadie no existe; correo sofia@soporte1.mx' });
    const notified = kit.events.filter((event) => event.name === 'staff.notified');
    expect(notified.map((event) => event.data)).toEqual([expect.objectContaining({ reason: 'mention', user_ids: [kit.actor('admin1').id] })]);
  });

  it('transfer: assigns the colleague, records a neutral line and the internal note, and notifies them', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    const result = await handoff.transfer(kit.actor('support1'), id, { assigned_support_user_id: kit.actor('support2').id, note: 'Tiene un pago pendiente' });
    expect(result.assigned_support_user_id).toBe(kit.actor('support2').id);
    const entries = await timeline(id);
    expect(entries.map((entry) => [entry.messageType, entry.content])).toEqual([
      ['system', HANDOFF_LINES.transfer('Saúl Soporte')],
      ['note', 'Tiene un pago pendiente'],
    ]);
    const notified = kit.events.filter((event) => event.name === 'staff.notified').map((event) => event.data);
    expect(notified).toEqual([expect.objectContaining({ reason: 'transfer', user_ids: [kit.actor('support2').id], note: 'Tiene un pago pendiente' })]);
    // Repeating it changes and announces nothing.
    const eventsBefore = kit.events.length;
    await handoff.transfer(kit.actor('support1'), id, { assigned_support_user_id: kit.actor('support2').id });
    expect([kit.events.length, (await timeline(id)).length]).toEqual([eventsBefore, 2]);
    expect(await code(handoff.transfer(kit.actor('support1'), id, { assigned_support_user_id: kit.actor('candidate2').id }))).toBe(
      ChatErrorCode.AssigneeNotStaff,
    );
    expect(await code(handoff.transfer(kit.actor('candidate1'), id, { assigned_support_user_id: kit.actor('support1').id }))).toBe(ChatErrorCode.Forbidden);
  });

  it('escalate and return: the tier, the neutral candidate line, filters by tier', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    const coordinator = kit.actor('coordinator1');
    expect(await code(handoff.escalate(kit.actor('support1'), id, { coordinator_user_id: kit.actor('support2').id }))).toBe(
      ChatErrorCode.AssigneeNotCoordinator,
    );
    expect((await handoff.returnToAgents(kit.actor('support1'), id, {})).handling_tier).toBe('agent');
    expect(await timeline(id)).toEqual([]);

    const escalated = await handoff.escalate(kit.actor('support1'), id, { coordinator_user_id: coordinator.id, note: 'Requiere reembolso' });
    expect([escalated.handling_tier, escalated.assigned_support_user_id, escalated.escalated_at !== null]).toEqual(['coordinator', coordinator.id, true]);
    const listed = await conversations.list(kit.actor('support1'), { tier: 'coordinator' });
    expect(listed.list!.conversations.map((conversation) => conversation.id)).toEqual([id]);
    expect((await conversations.list(kit.actor('support1'), { tier: 'agent' })).list!.conversations).toEqual([]);

    const returned = await handoff.returnToAgents(coordinator, id, {});
    expect([returned.handling_tier, returned.assigned_support_user_id, returned.escalated_at]).toEqual(['agent', null, null]);
    const lines = (await timeline(id)).filter((entry) => entry.messageType === 'system').map((entry) => entry.content);
    expect(lines).toEqual([HANDOFF_LINES.escalate, HANDOFF_LINES.return]);
    expect(HANDOFF_LINES.escalate).toBe('Tu conversación fue turnada a un coordinador.');
  });

  it('an unassigned escalation notifies every coordinator', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    await handoff.escalate(kit.actor('support1'), id, {});
    const notified = kit.events.filter((event) => event.name === 'staff.notified').map((event) => event.data);
    expect(notified).toEqual([expect.objectContaining({ reason: 'escalation', user_ids: [kit.actor('coordinator1').id] })]);
  });

  it('"Sin asignar": unassigned conversations, the longest-waiting first; a staff reply clears the waiting time', async () => {
    const carla = kit.actor('candidate1');
    const carlos = kit.actor('candidate2');
    const older = await conversations.create(carla, {});
    await messages.send(carla, older.id, { content: 'primero' });
    const newer = await conversations.create(carlos, {});
    await messages.send(carlos, newer.id, { content: 'después' });
    await messages.send(carla, older.id, { content: 'sigo esperando' }); // newest activity, but waiting longest
    const idle = await conversations.create(carlos, {}); // nothing waits: last
    const assigned = await conversations.create(carla, {});
    await messages.send(kit.actor('support1'), assigned.id, { content: 'hola' });

    const queue = await conversations.list(kit.actor('support1'), { unassigned: true });
    expect(queue.list!.conversations.map((conversation) => conversation.id)).toEqual([older.id, newer.id, idle.id]);
    expect(queue.list!.conversations[0]!.waiting_since).toBe((await timeline(older.id))[0]!.createdAt.toISOString());
    expect((await row(assigned.id)).waitingSince).toBeNull();
  });

  it('the staff picker: active staff with coordinator flag and open-conversation counts', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    await messages.send(kit.actor('support2'), id, { content: 'hola' });
    const { staff } = await handoff.staffDirectory(kit.actor('support1'));
    const byUsername = new Map(staff.map((member) => [member.username, member]));
    expect(byUsername.get('soporte2')).toMatchObject({ open_conversations: 1, online: false, is_coordinator: false });
    expect(byUsername.get('coordinador1')).toMatchObject({ open_conversations: 0, is_coordinator: true });
    expect(byUsername.has('candidato1')).toBe(false);
    expect(await code(handoff.staffDirectory(kit.actor('candidate1')))).toBe(ChatErrorCode.Forbidden);
  });
});
