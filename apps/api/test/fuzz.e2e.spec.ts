/**
 * Property-based tests (fast-check) against the running app: every body and query parameter of the chat,
 * auth and users endpoints gets hostile values (wrong types, null, arrays and objects where scalars
 * belong, 1 MB strings, emoji, RTL and zero-width marks, lone surrogates, NUL, `__proto__` and
 * `constructor` keys, numeric strings, negatives, NaN, Infinity, ids of the wrong shape). Every answer
 * is either a 2xx or the documented 4xx `{ error, code, details? }`, never a 5xx, and a rejected request
 * never leaves a row behind.
 *
 * Run counts are moderate so the file stays well under a minute; a failure prints the seed and the
 * shrunk counterexample (`fc.assert`), which reproduces it exactly.
 */
import type { AddressInfo } from 'node:net';

import fc from 'fast-check';

import { createTestApp, TestApp } from './test-app';

jest.setTimeout(120_000);

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const API = '/api/support/chat';

// ---------------------------------------------------------------- hostile values

const ONE_MB = 'a'.repeat(1024 * 1024);
const nastyStrings = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '😀👨‍👩‍👧‍👦🏳️‍🌈',
    '\u202Eabc\u202C',
    'مرحبا بالعالم',
    '\u200B\u200C\u200D\uFEFF',
    '\uD800',
    'a\uDC00b',
    '__proto__',
    'constructor',
    'prototype',
    '0',
    '-1',
    '1e3',
    '0x10',
    ' 5',
    '5.0',
    'NaN',
    'Infinity',
    '-Infinity',
    '99999999999999999999',
    'true',
    'null',
    'undefined',
    "'; DROP TABLE support_messages; --",
    '%',
    '%00',
    '../../etc/passwd',
    '<img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    'x'.repeat(5000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.uuid(),
);
const hugeString = fc.constant(ONE_MB);
const nastyNumbers = fc.oneof(
  fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 0.5, -0.0, 1e-300),
  fc.double(),
);
/** NaN and Infinity have no JSON form; they are written as bare tokens, which the parser must refuse. */
const RAW_TOKEN = Symbol('raw');
type Raw = { [RAW_TOKEN]: string };
const raw = (token: string): Raw => ({ [RAW_TOKEN]: token });
const nonJsonNumbers = fc.constantFrom(raw('NaN'), raw('Infinity'), raw('-Infinity'), raw('1e999'), raw('0x10'), raw('01'));

const scalar = fc.oneof(nastyStrings, nastyNumbers, fc.boolean(), fc.constant(null));
const nastyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { weight: 6, arbitrary: scalar },
    { weight: 1, arbitrary: hugeString },
    { weight: 1, arbitrary: nonJsonNumbers },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
    {
      weight: 2,
      arbitrary: fc.dictionary(fc.oneof(nastyStrings, fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty')), tie('value'), { maxKeys: 3 }),
    },
  ),
})).value;

/** JSON text written by hand so that `__proto__` stays an own key and raw tokens survive. */
function toJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && RAW_TOKEN in value) return (value as Raw)[RAW_TOKEN];
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A body for a DTO: each known field absent, valid or hostile, plus now and then hostile extra keys. */
function bodyOf(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(fields).map(([name, valid]) =>
    fc.option(fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: nastyValue }), { nil: undefined, freq: 3 }).map((v) => [name, v] as const),
  );
  const extras = fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'sender_user_id', 'seq', 'role', 'is_active'), nastyValue), {
    maxLength: 2,
  });
  return fc.tuple(fc.tuple(...entries), fc.option(extras, { nil: [], freq: 3 })).map(([known, extra]) => {
    const body: Record<string, unknown> = {};
    for (const [k, v] of known) if (v !== undefined) Object.defineProperty(body, k, { value: v, enumerable: true, writable: true, configurable: true });
    for (const [k, v] of extra) Object.defineProperty(body, k, { value: v, enumerable: true, writable: true, configurable: true });
    return body;
  });
}

/** A request body: usually the DTO-shaped object, sometimes a top-level array, scalar or broken JSON. */
const bodyText = (fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: bodyOf(fields).map(toJson) },
    { weight: 1, arbitrary: nastyValue.map(toJson) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', 'null', '[]', '"x"', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}') },
  );

/** Query values as Express sees them: strings, repeated keys (arrays) and bracket keys (kept literal). */
const queryValue = fc.oneof(
  nastyStrings.filter((s) => s.length < 2000),
  nastyNumbers.map(String),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '-0', '1.5', '', 'true', 'false', 'TRUE', '1', '0'),
  fc.array(fc.constantFrom('1', '2', 'true', 'open'), { minLength: 2, maxLength: 3 }),
);
function queryOf(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const entries = Object.entries(fields).map(([name, valid]) =>
    fc.option(fc.oneof(valid, queryValue), { nil: undefined, freq: 3 }).map((v) => [name, v] as const),
  );
  const extras = fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'page[gt]', 'status[]', 'x'), queryValue), { maxLength: 2 });
  return fc.tuple(fc.tuple(...entries), extras).map(([known, extra]) => {
    const parts: string[] = [];
    for (const [k, v] of [...known, ...extra]) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) parts.push(`${encode(k)}=${encode(String(item))}`);
    }
    return parts.length ? `?${parts.join('&')}` : '';
  });
}

/** Percent-encodes as UTF-8; a lone surrogate (which `encodeURIComponent` refuses) goes out as U+FFFD. */
function encode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

// ---------------------------------------------------------------- harness

const TABLES = ['support_conversations', 'support_conversation_participants', 'support_messages', 'users'] as const;

describe('hostile input never causes a 5xx or a stray row', () => {
  let t: TestApp;
  let baseUrl: string;
  let tokens: Record<'candidate' | 'staff' | 'manager', string>;
  let conversationId: string;
  let messageId: string;
  let candidateId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    tokens = { candidate: await t.loginAs('candidato1'), staff: await t.loginAs('soporte1'), manager: await t.loginAs('gerente1') };
    candidateId = (await t.users.findByUsername('candidato1'))!.id;
    const created = await t.as('candidato1').post(`${API}/conversations`).send({ subject: 'Fuzz' }).expect(201);
    conversationId = created.body.conversation.id;
    const sent = await t.as('candidato1').post(`${API}/conversations/${conversationId}/messages`).send({ content: 'hola' }).expect(201);
    messageId = sent.body.message.id;
  });
  afterAll(() => t?.close());

  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const table of TABLES) result[table] = Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return result;
  }

  /** Statuses seen per route, to prove the generators reach both the accepted and the rejected side. */
  const seen = new Map<string, Set<number>>();

  /** Sends the request and checks the invariants; returns the status for properties that want more. */
  async function check(method: string, path: string, who: keyof typeof tokens | null, body?: string): Promise<number> {
    const before = await counts();
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(who ? { Authorization: `Bearer ${tokens[who]}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body,
    });
    const text = await response.text();
    const route = `${method} ${path.split('?')[0].replace(/\/conversations\/[^/]+/, '/conversations/:id')}`;
    seen.set(route, (seen.get(route) ?? new Set()).add(Math.floor(response.status / 100) * 100));
    const context = `${method} ${path.slice(0, 300)} as ${who} with ${body === undefined ? '(no body)' : body.slice(0, 300)} -> ${response.status} ${text.slice(0, 300)}`;
    if (response.status >= 500) throw new Error(`5xx: ${context}`);
    if (response.status >= 400) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new Error(`error body is not JSON: ${context}`);
      }
      const { error, code, details, ...rest } = parsed as Record<string, unknown>;
      if (typeof error !== 'string' || error.length === 0 || typeof code !== 'string' || !/^[a-z0-9_]+$/.test(code) || Object.keys(rest).length > 0) {
        throw new Error(`error body not { error, code, details? }: ${context}`);
      }
      if (details !== undefined && !(Array.isArray(details) && details.every((d) => typeof d?.code === 'string' && typeof d?.message === 'string'))) {
        throw new Error(`details malformed: ${context}`);
      }
      const after = await counts();
      if (JSON.stringify(after) !== JSON.stringify(before))
        throw new Error(`rejected request wrote rows ${JSON.stringify(before)} -> ${JSON.stringify(after)}: ${context}`);
    } else if (response.status >= 300 && response.status !== 304) {
      throw new Error(`unexpected redirect: ${context}`);
    }
    return response.status;
  }

  const who = fc.constantFrom<'candidate' | 'staff'>('candidate', 'staff');
  const ids = () =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(conversationId) },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 2, arbitrary: nastyStrings.filter((s) => s.length > 0 && s.length < 500) },
      { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '..', '%2e%2e', 'null', '0', '-1', '1e3', conversationId.toUpperCase(), `${conversationId} `) },
    );
  const idPath = (id: string) => (/^%|%E0/.test(id) ? id : encode(id));
  const statuses = fc.constantFrom('open', 'resolved', 'closed');
  const priorities = fc.constantFrom('low', 'normal', 'high');
  const attachment = fc.record(
    {
      url: fc.constantFrom('https://files.example.com/a.png', 'http://files.example.com/a.png', 'javascript:alert(1)', 'https://user:pw@x.test/a'),
      name: fc.constantFrom('a.png', '../../x.exe', 'ñ😀.pdf'),
      mime_type: fc.constantFrom('image/png', 'application/pdf', 'text/html', 'IMAGE/PNG'),
      size_bytes: fc.constantFrom(0, 1, 1024, 10 * 1024 * 1024 + 1),
    },
    { requiredKeys: [] },
  );

  it('POST /conversations', async () => {
    await fc.assert(
      fc.asyncProperty(who, bodyText({ subject: fc.string(), priority: priorities, candidate_user_id: fc.constant(candidateId) }), async (caller, body) => {
        await check('POST', `${API}/conversations`, caller, body);
      }),
      { numRuns: RUNS, examples: [['candidate', '{}']] },
    );
  });

  it('GET /conversations', async () => {
    await fc.assert(
      fc.asyncProperty(
        who,
        queryOf({
          page: fc.constantFrom('1', '2'),
          per_page: fc.constantFrom('1', '100'),
          status: statuses,
          assigned_to_me: fc.constantFrom('true', 'false'),
          search: fc.string(),
        }),
        async (caller, query) => {
          await check('GET', `${API}/conversations${query}`, caller);
        },
      ),
      { numRuns: RUNS, examples: [['staff', '']] },
    );
  });

  it('GET and PATCH /conversations/:id', async () => {
    await fc.assert(
      fc.asyncProperty(who, ids(), bodyText({ assigned_support_user_id: fc.constant(null), priority: priorities }), async (caller, id, body) => {
        await check('GET', `${API}/conversations/${idPath(id)}`, caller);
        await check('PATCH', `${API}/conversations/${idPath(id)}`, caller, body);
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /conversations/:id/messages', async () => {
    await fc.assert(
      fc.asyncProperty(
        who,
        ids(),
        bodyText({ content: fc.string({ unit: 'grapheme', minLength: 1 }), attachment, client_message_id: fc.uuid() }),
        async (caller, id, body) => {
          await check('POST', `${API}/conversations/${idPath(id)}/messages`, caller, body);
        },
      ),
      { numRuns: RUNS * 2, examples: [['candidate', conversationId, '{"content":"hola"}']] },
    );
  });

  it('GET /conversations/:id/messages', async () => {
    await fc.assert(
      fc.asyncProperty(
        who,
        ids(),
        queryOf({
          page: fc.constantFrom('1', '3'),
          per_page: fc.constantFrom('1', '50'),
          before_seq: fc.constantFrom('1', '2'),
          after_seq: fc.constantFrom('0', '1'),
        }),
        async (caller, id, query) => {
          await check('GET', `${API}/conversations/${idPath(id)}/messages${query}`, caller);
        },
      ),
      { numRuns: RUNS, examples: [['candidate', conversationId, '']] },
    );
  });

  it('POST /conversations/:id/read and PATCH /conversations/:id/status', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constant<'candidate'>('candidate'),
        ids(),
        bodyText({ last_message_id: fc.constant(messageId) }),
        bodyText({ status: fc.constantFrom('open', 'resolved') }),
        async (caller, id, readBody, statusBody) => {
          await check('POST', `${API}/conversations/${idPath(id)}/read`, caller, readBody);
          await check('PATCH', `${API}/conversations/${idPath(id)}/status`, caller, statusBody);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('GET /unread-count and POST /events/ticket', async () => {
    await fc.assert(
      fc.asyncProperty(who, queryOf({ x: fc.string() }), bodyText({ since: fc.constant({ [conversationId]: 1 }) }), async (caller, query, body) => {
        await check('GET', `${API}/unread-count${query}`, caller);
        await check('POST', `${API}/events/ticket`, caller, body);
      }),
      { numRuns: RUNS },
    );
  });

  it('GET /events (the SSE stream) with hostile tickets', async () => {
    await fc.assert(
      fc.asyncProperty(queryOf({ ticket: fc.string(), last_event_id: fc.string() }), async (query) => {
        // None of these tickets is valid, so the answer is always an error and never a stream.
        await check('GET', `${API}/events${query}`, null);
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /api/auth/login', async () => {
    await fc.assert(
      fc.asyncProperty(bodyText({ username: fc.constantFrom('candidato1', 'nadie'), password: fc.constantFrom('Demo1234!', 'x') }), async (body) => {
        await check('POST', '/api/auth/login', null, body);
      }),
      { numRuns: RUNS, examples: [['{"username":"candidato1","password":"Demo1234!"}']] },
    );
  });

  it('GET /api/users', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<'staff' | 'candidate' | 'manager'>('staff', 'staff', 'candidate', 'manager'),
        queryOf({ role: fc.constantFrom('candidato', 'soporte'), search: fc.string(), limit: fc.constantFrom('1', '100') }),
        async (caller, query) => {
          await check('GET', `/api/users${query}`, caller);
        },
      ),
      { numRuns: RUNS },
    );
  });

  // Each property starts with one valid example (`examples`), so the 2xx side is always exercised.
  it('reached both accepted (2xx) and rejected (4xx) requests on the main write and read routes', () => {
    for (const route of [
      `POST ${API}/conversations`,
      `POST ${API}/conversations/:id/messages`,
      `GET ${API}/conversations`,
      `GET ${API}/conversations/:id/messages`,
      'POST /api/auth/login',
    ]) {
      expect({ route, classes: [...(seen.get(route) ?? [])].sort() }).toEqual({ route, classes: expect.arrayContaining([200, 400]) });
    }
  });

  it('regressions found by fuzzing: a null priority is a 400, not a NOT NULL violation (500)', async () => {
    const patched = await t.as('soporte1').patch(`${API}/conversations/${conversationId}`).send({ priority: null }).expect(400);
    expect(patched.body).toMatchObject({ code: 'invalid_priority' });
    const created = await t.as('soporte1').post(`${API}/conversations`).send({ candidate_user_id: candidateId, priority: null }).expect(400);
    expect(created.body).toMatchObject({ code: 'invalid_priority' });
    await t.as('soporte1').get(`${API}/conversations?status=`).expect(400);
  });

  it('keeps valid requests working after the barrage (the app is not wedged)', async () => {
    await t
      .as('candidato1')
      .post(`${API}/conversations/${conversationId}/messages`)
      .send({ content: 'sigo aquí' })
      .expect((r) => expect([201, 409]).toContain(r.status));
    await t.as('soporte1').get(`${API}/conversations`).expect(200);
  });
});
