/**
 * Authorization matrix, built from the application's own route table: every route Express knows is
 * called by every kind of caller, and the status must match the table below. A route without a row (a
 * new endpoint nobody thought about) fails the test, and so does a row for a route that no longer exists.
 *
 * What a status means here: 401 = the caller is not authenticated (no/bad/expired token, deleted or
 * inactive account); 403 = authenticated but the role may not; 404 = the caller may not even learn that
 * the conversation exists (another candidate's); 2xx = allowed. Request bodies are valid, so that the
 * only thing that varies is who asks.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import { JwtService } from '@nestjs/jwt';

import { JWT_AUDIENCE, JWT_CLOCK_TOLERANCE_SECONDS, JWT_ISSUER } from '../src/auth/jwt.strategy';
import { UserEntity } from '../src/users/user.entity';
import { createTestApp, TEST_JWT_SECRET, TestApp } from './test-app';

jest.setTimeout(60_000);

const CALLERS = [
  'anonymous',
  'malformedToken',
  'wrongSignature',
  'algNone',
  'expired',
  'deletedUser',
  'inactiveUser',
  /** A role in none of the chat's lists. */
  'outsideRole',
  /** `gerente`: a supervisor (SUPPORT_CHAT_SUPERVISOR_ROLES), read-only. */
  'gerente',
  'owningCandidate',
  'otherCandidate',
  'soporte',
  'admin',
  'developer',
] as const;
type Caller = (typeof CALLERS)[number];
type Expectation = Record<Caller, number>;

/** Everyone who is not a signed-in, active user. */
const UNAUTHENTICATED = { anonymous: 401, malformedToken: 401, wrongSignature: 401, algNone: 401, expired: 401, deletedUser: 401, inactiveUser: 401 } as const;
const STAFF = (status: number) => ({ soporte: status, admin: status, developer: status });
const EVERYONE = (status: number): Expectation => Object.fromEntries(CALLERS.map((caller) => [caller, status])) as Expectation;

interface Fixture {
  conversationId: string;
  candidateId: string;
  /** A staff member (admin1) to hand conversations to. */
  staffId: string;
  uploadPath: string;
  /** A label (issue 16) to rename and to put on or take off the conversation. */
  labelId: string;
  /** A team quick reply (issue 16) to edit. */
  teamQuickReplyId: string;
  /** One label and one team quick reply per call of a DELETE row (each call deletes its own). */
  deletableLabelIds: string[];
  deletableQuickReplyIds: string[];
  /** A resolved conversation of candidato1 (issue 17: it may be rated). */
  resolvedConversationId: string;
}

interface RouteRow {
  /** Path and body for a call; `tokenOf` gives the caller's bearer token (null when anonymous). */
  request: (fx: Fixture) => { path: string; body?: unknown; multipart?: boolean; sse?: boolean };
  expect: Expectation;
  /** Why the route is open, for rows that do not require a token. */
  publicBecause?: string;
}

const conv = (fx: Fixture) => `/api/support/chat/conversations/${fx.conversationId}`;
const unique = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;
const take = (pool: string[]): string => pool.pop() ?? randomUUID();
/** Business hours as the admin saves them (valid: the only thing that varies is who asks). */
const BUSINESS_HOURS = {
  time_zone: 'America/Mexico_City',
  weekly_hours: 'mon-sun 00:00-24:00',
  holidays: [],
  auto_reply_enabled: true,
  auto_reply_text: 'Fuera de horario.',
};

/** Keyed by `METHOD /path` exactly as the router lists it. */
const MATRIX: Record<string, RouteRow> = {
  // --- chat ---
  'POST /api/support/chat/conversations': {
    // Everyone names candidato1: the candidate himself may, another candidate may not open one for someone else.
    request: (fx) => ({ path: '/api/support/chat/conversations', body: { subject: 'Matriz', candidate_user_id: fx.candidateId } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 201, otherCandidate: 403, ...STAFF(201) },
  },
  'GET /api/support/chat/conversations': {
    request: () => ({ path: '/api/support/chat/conversations' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 200, ...STAFF(200) },
  },
  'GET /api/support/chat/conversations/:conversationId': {
    request: (fx) => ({ path: conv(fx) }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 404, ...STAFF(200) },
  },
  'PATCH /api/support/chat/conversations/:conversationId': {
    request: (fx) => ({ path: conv(fx), body: { priority: 'high' } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 404, ...STAFF(200) },
  },
  'POST /api/support/chat/conversations/:conversationId/messages': {
    request: (fx) => ({ path: `${conv(fx)}/messages`, body: { content: 'Mensaje de la matriz' } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 201, otherCandidate: 404, ...STAFF(201) },
  },
  'GET /api/support/chat/conversations/:conversationId/messages': {
    request: (fx) => ({ path: `${conv(fx)}/messages?page=1&per_page=5` }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 404, ...STAFF(200) },
  },
  'POST /api/support/chat/conversations/:conversationId/read': {
    request: (fx) => ({ path: `${conv(fx)}/read`, body: {} }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 404, ...STAFF(200) },
  },
  'GET /api/support/chat/conversations/:conversationId/read-markers': {
    request: (fx) => ({ path: `${conv(fx)}/read-markers` }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 404, ...STAFF(200) },
  },
  'PATCH /api/support/chat/conversations/:conversationId/status': {
    request: (fx) => ({ path: `${conv(fx)}/status`, body: { status: 'open' } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 200, otherCandidate: 404, ...STAFF(200) },
  },
  // Internal notes, hand-offs and the staff picker: staff only (a repeated hand-off changes nothing: 200).
  'POST /api/support/chat/conversations/:conversationId/notes': {
    request: (fx) => ({ path: `${conv(fx)}/notes`, body: { content: 'Nota de la matriz' } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, ...STAFF(201) },
  },
  'POST /api/support/chat/conversations/:conversationId/transfer': {
    request: (fx) => ({ path: `${conv(fx)}/transfer`, body: { assigned_support_user_id: fx.staffId } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, ...STAFF(200) },
  },
  'POST /api/support/chat/conversations/:conversationId/escalate': {
    request: (fx) => ({ path: `${conv(fx)}/escalate`, body: {} }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, ...STAFF(200) },
  },
  'POST /api/support/chat/conversations/:conversationId/return': {
    request: (fx) => ({ path: `${conv(fx)}/return`, body: {} }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, ...STAFF(200) },
  },
  'GET /api/support/chat/staff': {
    request: () => ({ path: '/api/support/chat/staff' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 403, otherCandidate: 403, ...STAFF(200) },
  },
  'GET /api/support/chat/unread-count': {
    request: () => ({ path: '/api/support/chat/unread-count' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 200, ...STAFF(200) },
  },
  'GET /api/support/chat/me': {
    request: () => ({ path: '/api/support/chat/me' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 200, ...STAFF(200) },
  },
  'POST /api/support/chat/events/ticket': {
    request: () => ({ path: '/api/support/chat/events/ticket', body: {} }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 201, owningCandidate: 201, otherCandidate: 201, ...STAFF(201) },
  },
  // Labels and quick replies (issue 16): staff tools; admin roles (SUPPORT_CHAT_ADMIN_ROLES: admin, not developer)
  // manage labels and team replies. Supervisors
  // read the labels (they see them on every conversation) and the team directory, never the composer's tools.
  'GET /api/support/chat/labels': {
    request: () => ({ path: '/api/support/chat/labels' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 403, otherCandidate: 403, ...STAFF(200) },
  },
  'POST /api/support/chat/labels': {
    request: () => ({ path: '/api/support/chat/labels', body: { name: unique('Matriz'), color: '#1e88e5' } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 201, developer: 403 },
  },
  'PATCH /api/support/chat/labels/:labelId': {
    request: (fx) => ({ path: `/api/support/chat/labels/${fx.labelId}`, body: { color: '#43a047' } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 200, developer: 403 },
  },
  'DELETE /api/support/chat/labels/:labelId': {
    request: (fx) => ({ path: `/api/support/chat/labels/${take(fx.deletableLabelIds)}` }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 204, developer: 403 },
  },
  'PUT /api/support/chat/conversations/:conversationId/labels/:labelId': {
    request: (fx) => ({ path: `${conv(fx)}/labels/${fx.labelId}`, body: {} }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, ...STAFF(200) },
  },
  'DELETE /api/support/chat/conversations/:conversationId/labels/:labelId': {
    request: (fx) => ({ path: `${conv(fx)}/labels/${fx.labelId}` }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, ...STAFF(200) },
  },
  'GET /api/support/chat/quick-replies': {
    request: () => ({ path: '/api/support/chat/quick-replies' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, ...STAFF(200) },
  },
  'POST /api/support/chat/quick-replies': {
    request: () => ({ path: '/api/support/chat/quick-replies', body: { scope: 'personal', title: unique('Matriz'), body: 'Hola {candidato}' } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, ...STAFF(201) },
  },
  'PATCH /api/support/chat/quick-replies/:quickReplyId': {
    request: (fx) => ({ path: `/api/support/chat/quick-replies/${fx.teamQuickReplyId}`, body: { title: unique('Equipo') } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 200, developer: 403 },
  },
  'DELETE /api/support/chat/quick-replies/:quickReplyId': {
    request: (fx) => ({ path: `/api/support/chat/quick-replies/${take(fx.deletableQuickReplyIds)}` }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 204, developer: 403 },
  },
  // Message search (issue 16): staff and supervisors search every conversation, a candidate only their own.
  'GET /api/support/chat/search/messages': {
    request: () => ({ path: '/api/support/chat/search/messages?q=matriz' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 200, ...STAFF(200) },
  },
  // CSAT, business hours (admin roles), e-mail preferences and the transcript (issue 17).
  'GET /api/support/chat/conversations/:conversationId/rating': {
    request: (fx) => ({ path: `/api/support/chat/conversations/${fx.resolvedConversationId}/rating` }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 404, ...STAFF(200) },
  },
  'PUT /api/support/chat/conversations/:conversationId/rating': {
    request: (fx) => ({ path: `/api/support/chat/conversations/${fx.resolvedConversationId}/rating`, body: { rating: 5 } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 200, otherCandidate: 404, ...STAFF(403) },
  },
  'GET /api/support/chat/service-status': {
    request: () => ({ path: '/api/support/chat/service-status' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 200, ...STAFF(200) },
  },
  'GET /api/support/chat/settings/business-hours': {
    request: () => ({ path: '/api/support/chat/settings/business-hours' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 200, developer: 403 },
  },
  'PUT /api/support/chat/settings/business-hours': {
    request: () => ({ path: '/api/support/chat/settings/business-hours', body: BUSINESS_HOURS }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 200, developer: 403 },
  },
  'GET /api/support/chat/me/preferences': {
    request: () => ({ path: '/api/support/chat/me/preferences' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 200, ...STAFF(200) },
  },
  'PUT /api/support/chat/me/preferences': {
    request: () => ({ path: '/api/support/chat/me/preferences', body: { email_when_away: true } }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 200, otherCandidate: 200, ...STAFF(200) },
  },
  'GET /api/support/chat/conversations/:conversationId/transcript': {
    request: (fx) => ({ path: `${conv(fx)}/transcript` }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 200, otherCandidate: 404, ...STAFF(200) },
  },
  // The audit trail (issue 18): supervisors and SUPPORT_CHAT_AUDIT_ROLES (admin) only; there is no route that edits it.
  'GET /api/support/chat/audit-events': {
    request: () => ({ path: '/api/support/chat/audit-events' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 200, developer: 403 },
  },
  'GET /api/support/chat/audit-events/export': {
    request: () => ({ path: '/api/support/chat/audit-events/export' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 200, developer: 403 },
  },
  // Reports: supervisors and SUPPORT_CHAT_REPORT_ROLES (default admin); everyone else 403 reports_forbidden.
  'GET /api/support/chat/reports/summary': {
    request: () => ({ path: '/api/support/chat/reports/summary?from=2026-11-01&to=2026-11-30' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 200, developer: 403 },
  },
  'GET /api/support/chat/reports/volume': {
    request: () => ({ path: '/api/support/chat/reports/volume?from=2026-11-01&to=2026-11-30' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 200, developer: 403 },
  },
  'GET /api/support/chat/reports/agents/live': {
    request: () => ({ path: '/api/support/chat/reports/agents/live' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 200, owningCandidate: 403, otherCandidate: 403, soporte: 403, admin: 200, developer: 403 },
  },
  'GET /api/support/chat/events': {
    // EventSource cannot send headers: the stream is opened with the one-time ticket the caller got from
    // POST /events/ticket with its bearer token (a made-up ticket when that call was refused).
    request: () => ({ path: '/api/support/chat/events', sse: true }),
    expect: { ...UNAUTHENTICATED, outsideRole: 401, gerente: 200, owningCandidate: 200, otherCandidate: 200, ...STAFF(200) },
  },
  // --- uploads (demo host) ---
  'POST /api/uploads': {
    request: () => ({ path: '/api/uploads', multipart: true }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 201, otherCandidate: 201, ...STAFF(201) },
  },
  'GET /api/uploads/:id/:name': {
    request: (fx) => ({ path: fx.uploadPath }),
    expect: EVERYONE(200),
    publicBecause: 'capability URL: an unguessable random id, so that <img src> works without a token (see SECURITY.md)',
  },
  // --- users and auth (demo host) ---
  'GET /api/users': {
    request: () => ({ path: '/api/users?role=candidato' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 403, gerente: 403, owningCandidate: 403, otherCandidate: 403, ...STAFF(200) },
  },
  'GET /api/auth/me': {
    // Any active account may read its own profile, whatever its role.
    request: () => ({ path: '/api/auth/me' }),
    expect: { ...UNAUTHENTICATED, outsideRole: 200, gerente: 200, owningCandidate: 200, otherCandidate: 200, ...STAFF(200) },
  },
  'POST /api/auth/login': {
    request: () => ({ path: '/api/auth/login', body: { username: 'candidato2', password: 'Demo1234!' } }),
    expect: EVERYONE(200),
    publicBecause: 'the login itself; a bearer header is ignored',
  },
  'GET /api/health': {
    request: () => ({ path: '/api/health' }),
    expect: EVERYONE(200),
    publicBecause: 'load-balancer probe; reveals only up/down',
  },
  ...Object.fromEntries(
    (
      [
        ['/api/docs', 200],
        ['/api/docs/', 200],
        ['/api/docs/index.html', 200],
        ['/api/docs/openapi.json', 200],
        ['/api/docs-yaml', 200],
        ['/api/docs/swagger-ui-init.js', 200],
        ['/api/docs/docs/swagger-ui-init.js', 200],
        // swagger-ui-express registers it; the file is not shipped in its package.
        ['/api/docs/LICENSE', 404],
      ] as const
    ).map(([path, status]) => [
      `GET ${path}`,
      { request: () => ({ path }), expect: EVERYONE(status), publicBecause: 'Swagger UI; the OpenAPI document is committed to the repository anyway' },
    ]),
  ),
  // Nest's catch-all under the global prefix: any unknown /api path or method is a 404 in the common body.
  'ALL /api{/*splat}': {
    request: () => ({ path: '/api/no-existe' }),
    expect: EVERYONE(404),
    publicBecause: 'not-found fallback',
  },
};

/** Every `METHOD /path` in Express' route table (what Nest registered, including Swagger's routes). */
function routeTable(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  const routes = new Set<string>();
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    const methods = Object.entries(layer.route.methods)
      .filter(([method, enabled]) => enabled && method !== '_all')
      .map(([method]) => method.toUpperCase());
    // `router.all()` registers every HTTP method Node knows: one row, `ALL`.
    if (layer.route.methods._all || methods.length > 20) routes.add(`ALL ${layer.route.path}`);
    else for (const method of methods) routes.add(`${method} ${layer.route.path}`);
  }
  return [...routes].sort();
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** 1x1 transparent PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('authorization matrix (route table x caller)', () => {
  let t: TestApp;
  let baseUrl: string;
  let fx: Fixture;
  const tokens = new Map<Caller, string | null>();

  beforeAll(async () => {
    t = await createTestApp({ swagger: true });
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;

    const candidate = (await t.users.findByUsername('candidato1'))!;
    const signer = new JwtService({ secret: TEST_JWT_SECRET });
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: candidate.id, iss: JWT_ISSUER, aud: JWT_AUDIENCE };

    const inactive = await t.createUser({
      username: `inactivo-${randomUUID().slice(0, 8)}`,
      fullName: 'Inés Inactiva',
      email: 'ines@example.com',
      role: 'candidato',
    });
    const deleted = await t.createUser({
      username: `borrado-${randomUUID().slice(0, 8)}`,
      fullName: 'Bruno Borrado',
      email: 'bruno@example.com',
      role: 'soporte',
    });
    tokens.set('anonymous', null);
    tokens.set('malformedToken', 'esto-no-es-un-jwt');
    tokens.set('wrongSignature', new JwtService({ secret: 'otra-clave-0123456789abcdef0123456789abcdef' }).sign({ ...claims, exp: now + 600 }));
    tokens.set('algNone', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iat: now, exp: now + 600 })}.`);
    tokens.set('expired', signer.sign({ ...claims, iat: now - 7200, exp: now - 3600 }));
    tokens.set('inactiveUser', await t.loginAs(inactive.username));
    tokens.set('deletedUser', await t.loginAs(deleted.username));
    await t.users.setActive(inactive.id, false);
    await t.dataSource.getRepository(UserEntity).delete({ id: deleted.id });
    const outside = await t.createUser({
      username: `invitado-${randomUUID().slice(0, 8)}`,
      fullName: 'Iván Invitado',
      email: 'ivan@example.com',
      role: 'invitado',
    });
    tokens.set('outsideRole', await t.loginAs(outside.username));
    for (const [caller, username] of [
      ['gerente', 'gerente1'],
      ['owningCandidate', 'candidato1'],
      ['otherCandidate', 'candidato2'],
      ['soporte', 'soporte1'],
      ['admin', 'admin1'],
      ['developer', 'developer1'],
    ] as const) {
      tokens.set(caller, await t.loginAs(username));
    }

    const created = await t.as('candidato1').post('/api/support/chat/conversations').send({ subject: 'Conversación de la matriz' }).expect(201);
    const upload = await t.as('candidato1').post('/api/uploads').attach('file', PNG, { filename: 'punto.png', contentType: 'image/png' }).expect(201);
    const staff = (await t.users.findByUsername('admin1'))!;
    const label = async (): Promise<string> =>
      (
        await t
          .as('admin1')
          .post('/api/support/chat/labels')
          .send({ name: unique('Matriz'), color: '#1e88e5' })
          .expect(201)
      ).body.label.id as string;
    const teamReply = async (): Promise<string> =>
      (
        await t
          .as('admin1')
          .post('/api/support/chat/quick-replies')
          .send({ scope: 'team', title: unique('Equipo'), body: 'Hola' })
          .expect(201)
      ).body.quick_reply.id as string;
    const resolved = await t.as('candidato1').post('/api/support/chat/conversations').send({ subject: 'Para calificar' }).expect(201);
    const resolvedId = resolved.body.conversation.id as string;
    await t.as('soporte1').post(`/api/support/chat/conversations/${resolvedId}/messages`).send({ content: 'Listo' }).expect(201);
    await t.as('soporte1').patch(`/api/support/chat/conversations/${resolvedId}/status`).send({ status: 'resolved' }).expect(200);
    const deletableLabelIds: string[] = [];
    const deletableQuickReplyIds: string[] = [];
    for (const _caller of CALLERS) {
      deletableLabelIds.push(await label());
      deletableQuickReplyIds.push(await teamReply());
    }
    fx = {
      labelId: await label(),
      teamQuickReplyId: await teamReply(),
      deletableLabelIds,
      deletableQuickReplyIds,
      resolvedConversationId: resolvedId,
      conversationId: created.body.conversation.id,
      candidateId: candidate.id,
      staffId: staff.id,
      uploadPath: new URL(upload.body.url, 'http://relative.invalid').pathname,
    };
  });

  afterAll(() => t?.close());

  it('has a row for every route in the route table, and no row for a route that does not exist', () => {
    const routes = routeTable(t);
    expect(routes.length).toBeGreaterThan(15);
    expect({ routesWithoutRow: routes.filter((route) => !MATRIX[route]) }).toEqual({ routesWithoutRow: [] });
    expect({ rowsWithoutRoute: Object.keys(MATRIX).filter((route) => !routes.includes(route)) }).toEqual({ rowsWithoutRoute: [] });
  });

  it('gives every token-less, bad-token, deleted or inactive caller a 401 on every route that is not public', () => {
    for (const [route, row] of Object.entries(MATRIX)) {
      if (row.publicBecause) continue;
      for (const caller of Object.keys(UNAUTHENTICATED) as Caller[]) {
        expect({ route, caller, status: row.expect[caller] }).toEqual({ route, caller, status: 401 });
      }
    }
  });

  async function call(route: string, row: RouteRow, caller: Caller): Promise<{ status: number; body: unknown }> {
    const method = route.startsWith('ALL ') ? 'GET' : route.split(' ')[0];
    const { path, body, multipart, sse } = row.request(fx);
    const token = tokens.get(caller) ?? null;
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    if (sse) {
      // The caller asks for a ticket with its own token, then opens the stream with it.
      const ticketResponse = await fetch(`${baseUrl}/api/support/chat/events/ticket`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: '{}',
      });
      const ticket = ticketResponse.status === 201 ? ((await ticketResponse.json()) as { ticket: string }).ticket : 'x'.repeat(32);
      const controller = new AbortController();
      const response = await fetch(`${baseUrl}${path}?ticket=${encodeURIComponent(ticket)}`, { signal: controller.signal });
      const result = { status: response.status, body: response.status === 200 ? null : await response.json() };
      controller.abort();
      return result;
    }
    let payload: FormData | string | undefined;
    if (multipart) {
      const form = new FormData();
      form.append('file', new Blob([PNG], { type: 'image/png' }), 'matriz.png');
      payload = form;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, body: type.includes('json') && text ? JSON.parse(text) : null };
  }

  it.each(Object.keys(MATRIX))('%s answers every caller as the table says', async (route) => {
    const row = MATRIX[route];
    const actual: Partial<Expectation> = {};
    for (const caller of CALLERS) {
      const { status, body } = await call(route, row, caller);
      actual[caller] = status;
      if (status >= 400) expect(body).toEqual(expect.objectContaining({ error: expect.any(String), code: expect.any(String) }));
    }
    expect(actual).toEqual(row.expect);
  });

  it('shows a conversation to candidates without staff-only fields: priority never, staff names yes', async () => {
    const base = '/api/support/chat/conversations';
    await t
      .as('soporte1')
      .patch(`${base}/${fx.conversationId}`)
      .send({ priority: 'high', assigned_support_user_id: (await t.users.findByUsername('soporte1'))!.id })
      .expect(200);
    const candidateViews = [
      (await t.as('candidato1').get(`${base}/${fx.conversationId}`).expect(200)).body.conversation,
      (await t.as('candidato1').get(base).expect(200)).body.conversations.find((c: { id: string }) => c.id === fx.conversationId),
      (await t.as('candidato1').patch(`${base}/${fx.conversationId}/status`).send({ status: 'resolved' }).expect(200)).body.conversation,
      (await t.as('candidato1').patch(`${base}/${fx.conversationId}/status`).send({ status: 'open' }).expect(200)).body.conversation,
      (await t.as('candidato2').post(base).send({ subject: 'Otra' }).expect(201)).body.conversation,
    ];
    for (const view of candidateViews) {
      expect(view).toBeDefined();
      expect(view).not.toHaveProperty('priority');
    }
    expect(candidateViews[0].assigned_support_user).toEqual({ id: expect.any(String), full_name: 'Lucía Fernández Ruiz', role: 'soporte' });
    for (const staff of ['soporte1', 'admin1', 'developer1']) {
      expect((await t.as(staff).get(`${base}/${fx.conversationId}`).expect(200)).body.conversation.priority).toBe('high');
    }
  });
});

describe('JWT verification settings', () => {
  let t: TestApp;
  let userId: string;
  beforeAll(async () => {
    t = await createTestApp();
    userId = (await t.users.findByUsername('candidato1'))!.id;
  });
  afterAll(() => t.close());

  const me = (token: string) => t.withToken(token).get('/api/auth/me');
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (payload: object, options: { algorithm?: 'HS256' | 'HS384' | 'HS512'; secret?: string } = {}) =>
    new JwtService({ secret: options.secret ?? TEST_JWT_SECRET }).sign(payload as Record<string, unknown>, { algorithm: options.algorithm ?? 'HS256' });

  it('pins HS256: the same secret with HS384/HS512, or alg none, is refused', async () => {
    const claims = { sub: userId, iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: now() + 600 };
    await me(sign(claims)).expect(200);
    await me(sign(claims, { algorithm: 'HS384' })).expect(401);
    await me(sign(claims, { algorithm: 'HS512' })).expect(401);
    await me(`${b64({ alg: 'none' })}.${b64(claims)}.`).expect(401);
    await me(`${b64({ alg: 'none' })}.${b64(claims)}.${sign(claims).split('.')[2]}`).expect(401);
  });

  it('requires exp, the issuer and the audience', async () => {
    await me(sign({ sub: userId, iss: JWT_ISSUER, aud: JWT_AUDIENCE })).expect(401);
    await me(sign({ sub: userId, aud: JWT_AUDIENCE, exp: now() + 600 })).expect(401);
    await me(sign({ sub: userId, iss: JWT_ISSUER, exp: now() + 600 })).expect(401);
    await me(sign({ sub: userId, iss: 'otro-emisor', aud: JWT_AUDIENCE, exp: now() + 600 })).expect(401);
  });

  it('tolerates a small clock skew only (at most one minute)', async () => {
    expect(JWT_CLOCK_TOLERANCE_SECONDS).toBeGreaterThan(0);
    expect(JWT_CLOCK_TOLERANCE_SECONDS).toBeLessThanOrEqual(60);
    const claims = { sub: userId, iss: JWT_ISSUER, aud: JWT_AUDIENCE };
    await me(sign({ ...claims, exp: now() - Math.floor(JWT_CLOCK_TOLERANCE_SECONDS / 2) })).expect(200);
    await me(sign({ ...claims, exp: now() - JWT_CLOCK_TOLERANCE_SECONDS - 5 })).expect(401);
  });

  it('refuses a token whose subject is not a plausible user id', async () => {
    for (const sub of ['', 'x'.repeat(37), 42, null]) {
      await me(sign({ sub, iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: now() + 600 })).expect(401);
    }
  });
});
