import { createTestApp, TestApp } from './test-app';

describe('GET /api/users (staff directory)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each(['soporte1', 'admin1', 'developer1'])('is open to %s', async (username) => {
    const response = await t.as(username).get('/api/users?role=candidato').expect(200);
    expect(response.body.users.map((u: { username: string }) => u.username)).toEqual(['candidato1', 'candidato2']);
    expect(response.body.users[0]).toEqual({
      id: expect.any(String),
      username: 'candidato1',
      full_name: 'Ana María López Hernández',
      email: 'ana.lopez@example.com',
      role: 'candidato',
    });
  });

  it.each(['candidato1', 'gerente1'])('is forbidden to %s', async (username) => {
    const response = await t.as(username).get('/api/users').expect(403);
    expect(response.body).toEqual({ error: expect.any(String), code: 'forbidden_role' });
  });

  it('needs a token', async () => {
    await t.http.get('/api/users').expect(401);
  });

  it('searches name, username and e-mail case-insensitively', async () => {
    const byName = await t.as('soporte1').get('/api/users?role=candidato&search=LÓPEZ').expect(200);
    expect(byName.body.users.map((u: { username: string }) => u.username)).toEqual(['candidato1']);
    const byEmail = await t.as('soporte1').get('/api/users?search=jose.ramirez@').expect(200);
    expect(byEmail.body.users.map((u: { username: string }) => u.username)).toEqual(['candidato2']);
    const byUsername = await t.as('soporte1').get('/api/users?search=SOPORTE').expect(200);
    expect(byUsername.body.users.map((u: { username: string }) => u.username)).toEqual(['soporte1']);
  });

  it('treats LIKE wildcards as plain text', async () => {
    const response = await t.as('soporte1').get('/api/users?search=%25').expect(200);
    expect(response.body.users).toEqual([]);
    const underscore = await t.as('soporte1').get('/api/users?search=_').expect(200);
    expect(underscore.body.users).toEqual([]);
  });

  it('lists only chat roles and active users, and honours the limit', async () => {
    const all = await t.as('admin1').get('/api/users').expect(200);
    expect(all.body.users.map((u: { username: string }) => u.username).sort()).toEqual([
      'admin1',
      'candidato1',
      'candidato2',
      'coordinador1',
      'developer1',
      'soporte1',
    ]);
    await t.as('admin1').get('/api/users?role=gerente').expect(200, { users: [] });
    const limited = await t.as('admin1').get('/api/users?limit=2').expect(200);
    expect(limited.body.users).toHaveLength(2);

    const inactive = await t.createUser({ username: 'candidato9', fullName: 'Zoe Inactiva', email: 'zoe@example.com', role: 'candidato', isActive: false });
    const afterInactive = await t.as('admin1').get('/api/users?role=candidato').expect(200);
    expect(afterInactive.body.users.map((u: { id: string }) => u.id)).not.toContain(inactive.id);
  });

  it('validates the query', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'unknown=1', `search=${'x'.repeat(101)}`]) {
      const response = await t.as('soporte1').get(`/api/users?${query}`).expect(400);
      expect(response.body).toMatchObject({ error: expect.any(String), code: expect.any(String), details: expect.any(Array) });
    }
  });
});
