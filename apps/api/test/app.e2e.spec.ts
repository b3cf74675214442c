import { createTestApp, TestApp } from './test-app';

describe('API host: bootstrap, errors and security', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ swagger: true });
  });
  afterAll(() => t.close());

  it('reports health with the database check', async () => {
    const response = await t.http.get('/api/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('answers unknown routes with a 404 in the common error shape', async () => {
    const response = await t.http.get('/api/does-not-exist').expect(404);
    expect(response.body).toEqual({ error: expect.any(String), code: 'not_found' });
    await t.http.get('/outside-the-prefix').expect(404, { error: response.body.error, code: 'not_found' });
  });

  it('rejects invalid JSON with 400 invalid_json', async () => {
    const response = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send('{"username": "candidato1",').expect(400);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.body).toEqual({ error: 'El cuerpo de la solicitud no es JSON válido.', code: 'invalid_json' });
  });

  it('rejects a body over the limit with 413 payload_too_large', async () => {
    const huge = JSON.stringify({ username: 'candidato1', password: 'x'.repeat(1.5 * 1024 * 1024) });
    const response = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send(huge).expect(413);
    expect(response.body).toEqual({ error: expect.any(String), code: 'payload_too_large' });
  });

  it('rejects unknown and missing fields with validation_failed details', async () => {
    const response = await t.http.post('/api/auth/login').send({ username: 'candidato1', password: 'x', admin: true }).expect(400);
    expect(response.body).toMatchObject({ error: expect.any(String), code: expect.any(String) });
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'admin', code: 'unknown_field' })]);

    const missing = await t.http.post('/api/auth/login').send({}).expect(400);
    expect(missing.body.details).toEqual([
      { field: 'username', code: 'username_required', message: 'El usuario es obligatorio.' },
      { field: 'password', code: 'password_required', message: 'La contraseña es obligatoria.' },
    ]);
    const wrongType = await t.http.post('/api/auth/login').send({ username: 42, password: '' }).expect(400);
    expect(wrongType.body.details).toEqual([
      { field: 'username', code: 'invalid_username', message: 'El usuario debe ser texto.' },
      { field: 'password', code: 'password_required', message: 'La contraseña es obligatoria.' },
    ]);
  });

  it('sends security headers and hides the framework', async () => {
    const response = await t.http.get('/api/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    // Plain HTTP by LAN address must keep working (TLS, when any, ends at a proxy).
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('serves Swagger UI and the OpenAPI document with bearer auth', async () => {
    await t.http.get('/api/docs').expect(200).expect('Content-Type', /html/);
    const doc = await t.http.get('/api/docs/openapi.json').expect(200);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/auth/me', '/api/users', '/api/health']));
  });
});
