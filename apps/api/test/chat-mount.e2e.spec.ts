import { UsersChatDirectory } from '../src/users/users-chat-directory';
import { createTestApp, TestApp } from './test-app';

/** The chat module mounted on the host's real JWT login and users table. */
describe('SupportChatModule mounted in the demo host', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('runs a candidate -> support exchange with tokens from /api/auth/login', async () => {
    const created = await t.as('candidato1').post('/api/support/chat/conversations').send({ subject: 'No puedo iniciar el examen' }).expect(201);
    const conversation = created.body.conversation ?? created.body;
    await t.as('candidato1').post(`/api/support/chat/conversations/${conversation.id}/messages`).send({ content: 'Hola 👋' }).expect(201);
    const list = await t.as('soporte1').get('/api/support/chat/conversations').expect(200);
    expect(list.body.conversations.map((c: { id: string }) => c.id)).toContain(conversation.id);
    expect(list.body.conversations[0].candidate).toMatchObject({ full_name: 'Ana María López Hernández' });
    await t.as('soporte1').post(`/api/support/chat/conversations/${conversation.id}/messages`).send({ content: 'Hola Ana, ¿qué ocurre?' }).expect(201);
    const history = await t.as('candidato1').get(`/api/support/chat/conversations/${conversation.id}/messages`).expect(200);
    expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(expect.arrayContaining(['Hola 👋', 'Hola Ana, ¿qué ocurre?']));
  });

  it('refuses a role outside the chat (403), anonymous (401) and deactivated users (401) on chat endpoints', async () => {
    // gerente1 is a read-only supervisor now: an invented role is the one outside every list.
    await t.createUser({ username: 'invitado1', fullName: 'Iván Invitado', email: 'ivan@example.com', role: 'invitado' });
    await t.as('invitado1').get('/api/support/chat/conversations').expect(403);
    await t.as('gerente1').get('/api/support/chat/conversations').expect(200);
    await t.http.get('/api/support/chat/conversations').expect(401);
    const user = await t.createUser({ username: 'candidato7', fullName: 'Pablo Baja', email: 'pablo@example.com', role: 'candidato' });
    await t.as('candidato7').get('/api/support/chat/unread-count').expect(200);
    await t.users.setActive(user.id, false);
    const response = await t.as('candidato7').get('/api/support/chat/unread-count').expect(401);
    expect(response.body).toMatchObject({ code: 'user_inactive' });
  });

  it('resolves many users with one query', async () => {
    const directory = t.app.get(UsersChatDirectory);
    const ids = (await t.users.search({ roles: ['candidato', 'soporte', 'admin', 'developer', 'gerente'], limit: 50 })).map((u) => u.id);
    const { result, statements } = await t.queries.during(() => directory.findByIds([...ids, ...ids, 'missing-id']));
    expect(result).toHaveLength(ids.length);
    expect(statements.filter((sql) => /^\s*SELECT/i.test(sql))).toHaveLength(1);
  });

  it('reads only the columns the chat uses: no password hash per request, the same record as the full entity', async () => {
    const directory = t.app.get(UsersChatDirectory);
    const user = await t.createUser({ username: 'candidato8', fullName: 'Ñoño Pérez 🎓', email: 'nono@example.com', role: 'candidato', phone: '5512345678' });
    await t.users.setActive(user.id, false);
    const expected = { id: user.id, role: 'candidato', full_name: 'Ñoño Pérez 🎓', is_active: false, username: 'candidato8', email: 'nono@example.com' };

    const one = await t.queries.during(() => directory.findById(user.id));
    const many = await t.queries.during(() => directory.findByIds([user.id]));
    expect(one.result).toEqual(expected);
    expect(many.result).toEqual([expected]);
    for (const sql of [...one.statements, ...many.statements]) {
      expect(sql).not.toMatch(/password_hash|created_at|"phone"|"curp"/);
    }
    // The host's own lookup (its guard, /api/auth/me) still reads the whole entity.
    expect(await t.users.findById(user.id)).toMatchObject({
      phone: '5512345678',
      passwordHash: expect.stringMatching(/^scrypt\$/),
      createdAt: expect.any(Date),
    });
  });
});
