import { ChatAuditTrail } from '../src/audit/chat-audit-trail';
import { TEST_USERS, TestUserKey } from '../src/testing/chat-test-app';
import { useChatTestApp } from '../src/testing/use-chat-test-app';
import { SupportAuditEventEntity } from '../src/persistence/entities';

const BASE = '/api/support/chat';

type Entry = {
  action: string;
  actor_user_id: string;
  conversation_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

/**
 * Every staff action of the features merged after the audit trail writes its entry, in the action's own
 * transaction: hand-offs (transfer, escalation, return), internal notes, labels on conversations, the
 * label catalogue, quick replies and the business hours setting.
 */
describe('audit wiring of the staff actions', () => {
  const { ctx, chat } = useChatTestApp();

  /** The trail's entries, oldest first, optionally of one action. */
  async function entries(action?: string): Promise<Entry[]> {
    const query = action ? `?action=${action}` : '';
    const page = (await ctx.as('manager1').get(`${BASE}/audit-events${query}`).expect(200)).body as { events: Entry[] };
    return page.events
      .map(({ action: name, actor_user_id, conversation_id, before, after }) => ({ action: name, actor_user_id, conversation_id, before, after }))
      .reverse();
  }

  async function conversationWith(as: TestUserKey = 'support1'): Promise<string> {
    const conversation = await chat.newConversation('candidate1');
    await chat.send('candidate1', conversation.id, 'Hola');
    await chat.send(as, conversation.id, 'Te ayudo');
    return conversation.id;
  }

  it('transfer: who had it before and who has it after', async () => {
    const id = await conversationWith();
    await ctx.as('support1').post(`${BASE}/conversations/${id}/transfer`).send({ assigned_support_user_id: TEST_USERS.support2.id }).expect(200);
    // A repeated transfer changes nothing and writes nothing.
    await ctx.as('support1').post(`${BASE}/conversations/${id}/transfer`).send({ assigned_support_user_id: TEST_USERS.support2.id }).expect(200);
    expect(await entries('conversation.transferred')).toEqual([
      {
        action: 'conversation.transferred',
        actor_user_id: TEST_USERS.support1.id,
        conversation_id: id,
        before: { assigned_support_user_id: TEST_USERS.support1.id, handling_tier: 'agent' },
        after: { assigned_support_user_id: TEST_USERS.support2.id, handling_tier: 'agent' },
      },
    ]);
  });

  it('escalation and return: tier and assignee before/after; a hand-off note is a note entry too', async () => {
    const id = await conversationWith();
    await ctx.as('support1').post(`${BASE}/conversations/${id}/escalate`).send({ note: 'Pide reembolso' }).expect(200);
    await ctx.as('coordinator1').post(`${BASE}/conversations/${id}/return`).send({ assigned_support_user_id: TEST_USERS.support2.id }).expect(200);
    const trail = (await entries()).filter((entry) => entry.conversation_id === id && entry.action !== 'conversation.assigned');
    expect(trail.map((entry) => entry.action)).toEqual(['conversation.escalated', 'note.created', 'conversation.returned']);
    expect(trail[0]).toMatchObject({
      actor_user_id: TEST_USERS.support1.id,
      before: { assigned_support_user_id: TEST_USERS.support1.id, handling_tier: 'agent' },
      after: { assigned_support_user_id: null, handling_tier: 'coordinator' },
    });
    expect(trail[1].after).toMatchObject({ caracteres: 'Pide reembolso'.length });
    expect(trail[2]).toMatchObject({
      actor_user_id: TEST_USERS.coordinator1.id,
      before: { assigned_support_user_id: null, handling_tier: 'coordinator' },
      after: { assigned_support_user_id: TEST_USERS.support2.id, handling_tier: 'agent' },
    });
  });

  it('internal note: one entry with its place in the timeline, not its text; a replay writes none', async () => {
    const id = await conversationWith();
    const body = { content: 'Confidencial: revisar pago', client_message_id: '11111111-1111-4111-8111-111111111111' };
    const note = await ctx.as('support1').post(`${BASE}/conversations/${id}/notes`).send(body).expect(201);
    await ctx.as('support1').post(`${BASE}/conversations/${id}/notes`).send(body);
    const notes = await entries('note.created');
    expect(notes).toEqual([
      {
        action: 'note.created',
        actor_user_id: TEST_USERS.support1.id,
        conversation_id: id,
        before: null,
        after: { message_id: note.body.message.id, seq: note.body.message.seq, caracteres: body.content.length },
      },
    ]);
    expect(JSON.stringify(notes)).not.toContain('Confidencial');
  });

  it('label on a conversation: added and removed, each once (repeats are no-ops)', async () => {
    const id = await conversationWith();
    const label = (await ctx.as('admin1').post(`${BASE}/labels`).send({ name: 'Pago', color: '#1E88E5' }).expect(201)).body.label;
    await ctx.as('support1').put(`${BASE}/conversations/${id}/labels/${label.id}`).expect(200);
    await ctx.as('support1').put(`${BASE}/conversations/${id}/labels/${label.id}`).expect(200);
    await ctx.as('support2').delete(`${BASE}/conversations/${id}/labels/${label.id}`).expect(200);
    expect(await entries('labels.changed')).toEqual([
      {
        action: 'labels.changed',
        actor_user_id: TEST_USERS.support1.id,
        conversation_id: id,
        before: { label_id: label.id, label_name: 'Pago', attached: false },
        after: { label_id: label.id, label_name: 'Pago', attached: true },
      },
      {
        action: 'labels.changed',
        actor_user_id: TEST_USERS.support2.id,
        conversation_id: id,
        before: { label_id: label.id, label_name: 'Pago', attached: true },
        after: { label_id: label.id, label_name: 'Pago', attached: false },
      },
    ]);
  });

  it('label catalogue: create, update, delete with before/after; a refused write records nothing', async () => {
    const label = (await ctx.as('admin1').post(`${BASE}/labels`).send({ name: 'Pago', color: '#1E88E5' }).expect(201)).body.label;
    await ctx.as('admin1').post(`${BASE}/labels`).send({ name: 'pago', color: '#000000' }).expect(409);
    await ctx.as('admin1').patch(`${BASE}/labels/${label.id}`).send({ name: 'Pagos', color: '#000000' }).expect(200);
    await ctx
      .as('admin1')
      .delete(`${BASE}/labels/${label.id}`)
      .expect((response) => expect(response.status).toBeLessThan(300));
    const trail = (await entries()).filter((entry) => entry.action.startsWith('label.'));
    expect(trail).toEqual([
      {
        action: 'label.created',
        actor_user_id: TEST_USERS.admin1.id,
        conversation_id: null,
        before: null,
        after: { id: label.id, name: 'Pago', color: '#1e88e5', position: label.position },
      },
      {
        action: 'label.changed',
        actor_user_id: TEST_USERS.admin1.id,
        conversation_id: null,
        before: { id: label.id, name: 'Pago', color: '#1e88e5', position: label.position },
        after: { id: label.id, name: 'Pagos', color: '#000000', position: label.position },
      },
      {
        action: 'label.deleted',
        actor_user_id: TEST_USERS.admin1.id,
        conversation_id: null,
        before: { id: label.id, name: 'Pagos', color: '#000000', position: label.position },
        after: null,
      },
    ]);
  });

  it('quick replies: create, update, delete with before/after', async () => {
    const created = (
      await ctx
        .as('support1')
        .post(`${BASE}/quick-replies`)
        .send({ scope: 'personal', title: 'Saludo', body: 'Hola {{candidato.nombre}}', shortcut: 'hola' })
        .expect(201)
    ).body.quick_reply;
    await ctx.as('support1').patch(`${BASE}/quick-replies/${created.id}`).send({ title: 'Saludo breve' }).expect(200);
    await ctx
      .as('support1')
      .delete(`${BASE}/quick-replies/${created.id}`)
      .expect((response) => expect(response.status).toBeLessThan(300));
    const trail = (await entries()).filter((entry) => entry.action.startsWith('quick_reply.'));
    const values = { id: created.id, scope: 'personal', title: 'Saludo', body: 'Hola {{candidato.nombre}}', shortcut: 'hola', position: created.position };
    expect(trail).toEqual([
      { action: 'quick_reply.created', actor_user_id: TEST_USERS.support1.id, conversation_id: null, before: null, after: values },
      {
        action: 'quick_reply.changed',
        actor_user_id: TEST_USERS.support1.id,
        conversation_id: null,
        before: values,
        after: { ...values, title: 'Saludo breve' },
      },
      {
        action: 'quick_reply.deleted',
        actor_user_id: TEST_USERS.support1.id,
        conversation_id: null,
        before: { ...values, title: 'Saludo breve' },
        after: null,
      },
    ]);
  });

  it('business hours: the whole setting before and after; an invalid one records nothing', async () => {
    const first = { time_zone: 'America/Mexico_City', weekly_hours: 'mon-fri 09:00-18:00', holidays: [], auto_reply_enabled: true, auto_reply_text: 'Hola' };
    await ctx.as('admin1').put(`${BASE}/settings/business-hours`).send(first).expect(200);
    await ctx
      .as('admin1')
      .put(`${BASE}/settings/business-hours`)
      .send({ ...first, weekly_hours: 'nunca' })
      .expect(400);
    await ctx
      .as('admin1')
      .put(`${BASE}/settings/business-hours`)
      .send({ ...first, holidays: ['2026-12-25'] })
      .expect(200);
    const trail = await entries('settings.changed');
    expect(trail).toHaveLength(2);
    expect(trail[0]).toMatchObject({ actor_user_id: TEST_USERS.admin1.id, before: { setting: 'business_hours', value: null } });
    expect(trail[0].after).toMatchObject({ setting: 'business_hours', value: { time_zone: 'America/Mexico_City', holidays: [] } });
    expect(trail[1].before).toEqual(trail[0].after);
    expect(trail[1].after).toMatchObject({ value: { holidays: ['2026-12-25'] } });
  });

  it('the entry commits with the action: when the trail cannot write, the action is rolled back', async () => {
    const id = await conversationWith();
    const trail = ctx.app.get(ChatAuditTrail);
    const spy = jest.spyOn(trail, 'record').mockRejectedValueOnce(new Error('audit down'));
    try {
      await ctx.as('support1').post(`${BASE}/conversations/${id}/transfer`).send({ assigned_support_user_id: TEST_USERS.support2.id }).expect(500);
    } finally {
      spy.mockRestore();
    }
    const conversation = (await ctx.as('support1').get(`${BASE}/conversations/${id}`).expect(200)).body.conversation;
    expect(conversation.assigned_support_user_id).toBe(TEST_USERS.support1.id);
    expect(await ctx.dataSource.getRepository(SupportAuditEventEntity).countBy({ action: 'conversation.transferred' })).toBe(0);
  });
});
