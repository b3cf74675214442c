import type { TestUserKey } from '../src/testing/chat-test-app';
import { useChatTestApp } from '../src/testing/use-chat-test-app';

const BASE = '/api/support/chat';

/**
 * Issue 16, part 1 over HTTP (and, with `npm run test:postgres` / `test:mariadb`, on those dialects):
 * quick replies (personal and team, variables, shortcuts, search, order) and labels (admin-managed, put
 * on conversations by staff, inbox filter, never shown to candidates).
 */
describe('quick replies', () => {
  const { ctx, chat } = useChatTestApp();
  const create = (as: TestUserKey, body: Record<string, unknown>) => ctx.as(as).post(`${BASE}/quick-replies`).send(body);

  it('fills the variables for a conversation; each staff member sees their own and the team replies, in order', async () => {
    const conversation = await chat.newConversation('candidate1', { subject: 'Pago duplicado' });
    const team = await create('admin1', {
      scope: 'team',
      title: 'Saludo',
      body: 'Hola {{candidato.nombre}} ({{ candidato.usuario }}), soy {{agente.nombre}}.',
    }).expect(201);
    expect(team.body.quick_reply).toMatchObject({ scope: 'team', shortcut: null, position: 1, can_edit: true });
    await create('support1', {
      scope: 'personal',
      title: 'Asunto',
      body: 'Sobre «{{conversacion.asunto}}»: lo reviso.',
      shortcut: 'Asunto',
      position: 0,
    }).expect(201);
    await create('support2', { scope: 'personal', title: 'De Saúl', body: 'Solo mía' }).expect(201);

    const list = await ctx.as('support1').get(`${BASE}/quick-replies?conversation_id=${conversation.id}`).expect(200);
    expect(list.body.can_manage_team).toBe(false);
    expect(list.body.quick_replies.map((r: Record<string, unknown>) => [r.title, r.scope, r.shortcut, r.can_edit, r.rendered_body])).toEqual([
      ['Asunto', 'personal', 'asunto', true, 'Sobre «Pago duplicado»: lo reviso.'],
      ['Saludo', 'team', null, false, 'Hola Carla Candidata (candidato1), soy Sofía Soporte.'],
    ]);
    // Without a conversation: the stored text, no rendering.
    const plain = await ctx.as('support2').get(`${BASE}/quick-replies`).expect(200);
    expect(plain.body.quick_replies.map((r: Record<string, unknown>) => [r.title, r.rendered_body])).toEqual([
      ['Saludo', undefined],
      ['De Saúl', undefined],
    ]);
  });

  it('searches title, shortcut and body, case-insensitively, with LIKE wildcards taken literally', async () => {
    await create('support1', { scope: 'personal', title: 'Reembolso', body: 'Tu pago se devuelve en 5 días.', shortcut: 'reem' }).expect(201);
    await create('support1', { scope: 'personal', title: 'Certificado', body: 'Descarga el 100% desde tu perfil.' }).expect(201);
    const search = async (text: string) =>
      (await ctx.as('support1').get(`${BASE}/quick-replies`).query({ search: text }).expect(200)).body.quick_replies.map((r: { title: string }) => r.title);
    expect(await search('PAGO')).toEqual(['Reembolso']);
    expect(await search('reem')).toEqual(['Reembolso']);
    expect(await search('100%')).toEqual(['Certificado']);
    expect(await search('%')).toEqual(['Certificado']);
    expect(await search('nada')).toEqual([]);
  });

  it('refuses an unknown variable when the reply is saved, and writes nothing', async () => {
    const refused = await create('support1', { scope: 'personal', title: 'Mal', body: 'Hola {{candidato.correo}} y {{ x }}' }).expect(400);
    expect(refused.body.code).toBe('quick_reply_unknown_variable');
    expect(refused.body.error).toContain('{{candidato.correo}}');
    expect(refused.body.error).toContain('{{x}}');
    expect(refused.body.details[0].field).toBe('body');
    const ok = await create('support1', { scope: 'personal', title: 'Bien', body: 'Hola {{candidato.nombre}}' }).expect(201);
    const patched = await ctx.as('support1').patch(`${BASE}/quick-replies/${ok.body.quick_reply.id}`).send({ body: '{{agente.correo}}' }).expect(400);
    expect(patched.body.code).toBe('quick_reply_unknown_variable');
    const rows = await ctx.dataSource.query('SELECT title, body FROM support_quick_replies');
    expect(rows).toEqual([{ title: 'Bien', body: 'Hola {{candidato.nombre}}' }]);
  });

  it('validates the fields with Spanish messages and codes', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ scope: 'personal', title: '', body: 'x' }, 'title_required'],
      [{ scope: 'personal', title: 't'.repeat(101), body: 'x' }, 'title_too_long'],
      [{ scope: 'personal', title: 't', body: '   ' }, 'body_required'],
      [{ scope: 'personal', title: 't', body: 'x'.repeat(4001) }, 'body_too_long'],
      [{ scope: 'personal', title: 't', body: 'x', shortcut: 'con espacio' }, 'invalid_shortcut'],
      [{ scope: 'everyone', title: 't', body: 'x' }, 'invalid_scope'],
      [{ scope: 'personal', title: 't', body: 'x', extra: 1 }, 'unknown_field'],
    ];
    for (const [body, code] of cases) {
      const response = await create('support1', body).expect(400);
      expect({ body, code: response.body.details?.[0]?.code ?? response.body.code }).toEqual({ body, code });
      expect(typeof response.body.error).toBe('string');
    }
  });

  it('keeps shortcuts unique per owner: 409 within a scope, allowed across scopes and people', async () => {
    await create('support1', { scope: 'personal', title: 'a', body: 'a', shortcut: 'hola' }).expect(201);
    const taken = await create('support1', { scope: 'personal', title: 'b', body: 'b', shortcut: 'HOLA' }).expect(409);
    expect(taken.body.code).toBe('quick_reply_shortcut_taken');
    await create('support2', { scope: 'personal', title: 'c', body: 'c', shortcut: 'hola' }).expect(201);
    await create('admin1', { scope: 'team', title: 'd', body: 'd', shortcut: 'hola' }).expect(201);
    // Replies without a shortcut never collide.
    await create('support1', { scope: 'personal', title: 'e', body: 'e' }).expect(201);
    await create('support1', { scope: 'personal', title: 'f', body: 'f' }).expect(201);
    const second = await create('support1', { scope: 'personal', title: 'g', body: 'g', shortcut: 'otro' }).expect(201);
    const clash = await ctx.as('support1').patch(`${BASE}/quick-replies/${second.body.quick_reply.id}`).send({ shortcut: 'hola' }).expect(409);
    expect(clash.body.code).toBe('quick_reply_shortcut_taken');
    await ctx.as('support1').patch(`${BASE}/quick-replies/${second.body.quick_reply.id}`).send({ shortcut: null, position: 0 }).expect(200);
  });

  it('lets only the admin roles manage team replies, and nobody touch another person’s own', async () => {
    const forbidden = await create('support1', { scope: 'team', title: 't', body: 'b' }).expect(403);
    expect(forbidden.body.code).toBe('forbidden');
    const team = (await create('admin1', { scope: 'team', title: 't', body: 'b' }).expect(201)).body.quick_reply;
    expect((await ctx.as('support1').patch(`${BASE}/quick-replies/${team.id}`).send({ title: 'x' }).expect(403)).body.code).toBe('forbidden');
    expect((await ctx.as('support1').delete(`${BASE}/quick-replies/${team.id}`).expect(403)).body.code).toBe('forbidden');
    const own = (await create('support1', { scope: 'personal', title: 'mía', body: 'b' }).expect(201)).body.quick_reply;
    expect((await ctx.as('support2').patch(`${BASE}/quick-replies/${own.id}`).send({ title: 'x' }).expect(404)).body.code).toBe('quick_reply_not_found');
    expect((await ctx.as('admin1').delete(`${BASE}/quick-replies/${own.id}`).expect(404)).body.code).toBe('quick_reply_not_found');
    await ctx.as('admin1').patch(`${BASE}/quick-replies/${team.id}`).send({ title: 'Nuevo título' }).expect(200);
    await ctx.as('support1').delete(`${BASE}/quick-replies/${own.id}`).expect(204);
    await ctx.as('admin1').delete(`${BASE}/quick-replies/${team.id}`).expect(204);
    expect(await ctx.dataSource.query('SELECT id FROM support_quick_replies')).toEqual([]);
    expect((await ctx.as('support1').get(`${BASE}/quick-replies/not-a-uuid`).expect(404)).body.code).toBe('not_found');
  });

  it('answers candidates 403 on every quick-reply endpoint', async () => {
    const team = (await create('admin1', { scope: 'team', title: 't', body: 'b' }).expect(201)).body.quick_reply;
    const calls = [
      ctx.as('candidate1').get(`${BASE}/quick-replies`),
      ctx.as('candidate1').post(`${BASE}/quick-replies`).send({ scope: 'personal', title: 't', body: 'b' }),
      ctx.as('candidate1').patch(`${BASE}/quick-replies/${team.id}`).send({ title: 'x' }),
      ctx.as('candidate1').delete(`${BASE}/quick-replies/${team.id}`),
    ];
    for (const call of calls) expect(((await call.expect(403)) as { body: { code: string } }).body.code).toBe('forbidden');
  });

  it('renders only for a conversation the caller may see (404 otherwise)', async () => {
    const response = await ctx.as('support1').get(`${BASE}/quick-replies?conversation_id=00000000-0000-4000-8000-000000000000`).expect(404);
    expect(response.body.code).toBe('conversation_not_found');
  });
});

describe('labels', () => {
  const { ctx, chat } = useChatTestApp();
  const newLabel = async (name: string, color = '#1E88E5') => (await ctx.as('admin1').post(`${BASE}/labels`).send({ name, color }).expect(201)).body.label;
  const put = (as: TestUserKey, conversationId: string, labelId: string) => ctx.as(as).put(`${BASE}/conversations/${conversationId}/labels/${labelId}`);

  it('admins manage labels (unique names, hex colours); other staff only list them; candidates get 403', async () => {
    const pago = await newLabel('Pago');
    expect(pago).toEqual({ id: expect.any(String), name: 'Pago', color: '#1e88e5', position: 1 });
    expect((await ctx.as('admin1').post(`${BASE}/labels`).send({ name: ' pago ', color: '#000000' }).expect(409)).body.code).toBe('label_name_taken');
    const badColour = await ctx.as('admin1').post(`${BASE}/labels`).send({ name: 'Otra', color: 'red' }).expect(400);
    expect(badColour.body.details[0].code).toBe('invalid_color');
    expect((await ctx.as('support1').post(`${BASE}/labels`).send({ name: 'Mía', color: '#000000' }).expect(403)).body.code).toBe('forbidden');
    expect((await ctx.as('support1').patch(`${BASE}/labels/${pago.id}`).send({ color: '#000000' }).expect(403)).body.code).toBe('forbidden');
    expect((await ctx.as('support1').delete(`${BASE}/labels/${pago.id}`).expect(403)).body.code).toBe('forbidden');
    const listed = await ctx.as('support1').get(`${BASE}/labels`).expect(200);
    expect(listed.body).toEqual({ labels: [pago], can_manage: false });
    expect((await ctx.as('admin1').get(`${BASE}/labels`).expect(200)).body.can_manage).toBe(true);
    expect((await ctx.as('candidate1').get(`${BASE}/labels`).expect(403)).body.code).toBe('forbidden');
    const renamed = await ctx.as('admin1').patch(`${BASE}/labels/${pago.id}`).send({ name: 'Pagos', color: '#43a047' }).expect(200);
    expect(renamed.body.label).toMatchObject({ name: 'Pagos', color: '#43a047' });
    expect((await ctx.as('admin1').patch(`${BASE}/labels/00000000-0000-4000-8000-000000000000`).send({ name: 'x' }).expect(404)).body.code).toBe(
      'label_not_found',
    );
  });

  it('staff put labels on conversations; the inbox shows them and filters by them; candidates never see them', async () => {
    const pago = await newLabel('Pago', '#43a047');
    const acceso = await newLabel('Acceso al examen', '#e53935');
    const first = await chat.newConversation('candidate1', { subject: 'Cobro doble' });
    const second = await chat.newConversation('candidate2', { subject: 'No entra' });

    const added = await put('support1', first.id, pago.id).expect(200);
    expect(added.body).toEqual({ conversation_id: first.id, labels: [pago] });
    await put('support1', first.id, pago.id).expect(200); // idempotent
    await put('support2', first.id, acceso.id).expect(200);
    await put('support2', second.id, acceso.id).expect(200);

    const inbox = await ctx.as('support1').get(`${BASE}/conversations`).expect(200);
    const labelsOf = (body: { conversations: { id: string; labels?: { name: string }[] }[] }) =>
      Object.fromEntries(body.conversations.map((c) => [c.id, c.labels?.map((l) => l.name)]));
    expect(labelsOf(inbox.body)).toEqual({ [first.id]: ['Pago', 'Acceso al examen'], [second.id]: ['Acceso al examen'] });
    const filtered = await ctx.as('support1').get(`${BASE}/conversations?label_id=${pago.id}`).expect(200);
    expect(filtered.body.conversations.map((c: { id: string }) => c.id)).toEqual([first.id]);
    expect(filtered.body.total).toBe(1);
    const both = await ctx.as('support1').get(`${BASE}/conversations`).query({ label_id: acceso.id, search: 'cobro' }).expect(200);
    expect(both.body.conversations.map((c: { id: string }) => c.id)).toEqual([first.id]);
    expect(
      (await ctx.as('support1').get(`${BASE}/conversations/${first.id}`).expect(200)).body.conversation.labels.map((l: { name: string }) => l.name),
    ).toEqual(['Pago', 'Acceso al examen']);

    // The candidate: no labels in their list or detail, no filtering by label, no label endpoints.
    const theirs = await ctx.as('candidate1').get(`${BASE}/conversations`).expect(200);
    expect(theirs.body.conversations[0]).not.toHaveProperty('labels');
    expect((await ctx.as('candidate1').get(`${BASE}/conversations/${first.id}`).expect(200)).body.conversation).not.toHaveProperty('labels');
    expect((await ctx.as('candidate1').get(`${BASE}/conversations?label_id=${pago.id}`).expect(403)).body.code).toBe('forbidden');
    expect((await put('candidate1', first.id, pago.id).expect(403)).body.code).toBe('forbidden');
    expect((await ctx.as('candidate1').delete(`${BASE}/conversations/${first.id}/labels/${pago.id}`).expect(403)).body.code).toBe('forbidden');

    // Removing, and deleting a label, take it off the conversations.
    const removed = await ctx.as('support1').delete(`${BASE}/conversations/${first.id}/labels/${pago.id}`).expect(200);
    expect(removed.body.labels.map((l: { name: string }) => l.name)).toEqual(['Acceso al examen']);
    await ctx.as('admin1').delete(`${BASE}/labels/${acceso.id}`).expect(204);
    expect(labelsOf((await ctx.as('support1').get(`${BASE}/conversations`).expect(200)).body)).toEqual({ [first.id]: [], [second.id]: [] });
    expect((await put('support1', first.id, acceso.id).expect(404)).body.code).toBe('label_not_found');
    expect((await put('support1', '00000000-0000-4000-8000-000000000000', pago.id).expect(404)).body.code).toBe('conversation_not_found');
  });

  it('a label change is a new version of the inbox page (the ETag changes), and costs one query per page', async () => {
    const pago = await newLabel('Pago');
    const conversation = await chat.newConversation('candidate1');
    const before = await ctx.as('support1').get(`${BASE}/conversations`).expect(200);
    await ctx.as('support1').get(`${BASE}/conversations`).set('If-None-Match', before.headers.etag).expect(304);
    await put('support2', conversation.id, pago.id).expect(200);
    const after = await ctx.as('support1').get(`${BASE}/conversations`).set('If-None-Match', before.headers.etag).expect(200);
    expect(after.body.conversations[0].labels).toEqual([pago]);
  });

  it('needs an id that is a UUID for label_id', async () => {
    const response = await ctx.as('support1').get(`${BASE}/conversations?label_id=pago`).expect(400);
    expect(response.body.details[0]).toMatchObject({ field: 'label_id', code: 'invalid_label_id' });
  });
});
