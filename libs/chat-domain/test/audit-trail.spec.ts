import request from 'supertest';

import { AuditAction } from '../src/audit/audit-actions';
import { ChatAuditTrail } from '../src/audit/chat-audit-trail';
import { TEST_USERS, TestUserKey } from '../src/testing/chat-test-app';
import { useChatTestApp } from '../src/testing/use-chat-test-app';

const BASE = '/api/support/chat';

type AuditEvent = {
  id: string;
  occurred_at: string;
  actor_user_id: string;
  actor_name: string;
  actor_role: string;
  action: string;
  conversation_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

describe('audit trail', () => {
  const { ctx, chat } = useChatTestApp();

  /** Entries written through the trail's own API (as a feature calls it), one second apart from `start`. */
  async function seed(
    entries: { as: TestUserKey; action: AuditAction; conversationId: string | null }[],
    start = Date.parse('2026-11-01T00:00:00Z'),
  ): Promise<void> {
    const trail = ctx.app.get(ChatAuditTrail);
    await ctx.dataSource.transaction(async (manager) => {
      for (const [index, entry] of entries.entries()) {
        const user = TEST_USERS[entry.as];
        await trail.record(manager, {
          actor: user,
          action: entry.action,
          conversationId: entry.conversationId,
          before: { n: index - 1 },
          after: { n: index },
          at: new Date(start + index * 1000),
        });
      }
    });
  }

  const events = async (query = '', as: 'manager1' | 'admin1' = 'manager1'): Promise<{ events: AuditEvent[]; next_cursor: string | null }> =>
    (await ctx.as(as).get(`${BASE}/audit-events${query}`).expect(200)).body;

  it('records every existing staff write with actor, time, conversation and before/after, newest first', async () => {
    const conversation = await chat.newConversation('candidate1');
    await chat.send('candidate1', conversation.id, 'Hola');
    await chat.send('support1', conversation.id, 'Te ayudo'); // takes the unassigned conversation
    await ctx
      .as('support1')
      .patch(`${BASE}/conversations/${conversation.id}`)
      .send({ assigned_support_user_id: TEST_USERS.support2.id, priority: 'high' })
      .expect(200);
    await ctx.as('support2').patch(`${BASE}/conversations/${conversation.id}/status`).send({ status: 'resolved' }).expect(200);
    const forCandidate = await chat.newConversation('admin1', { candidate_user_id: TEST_USERS.candidate2.id, subject: 'Seguimiento' });
    // Not staff actions, not in the trail: a candidate's own status change, and a no-op change.
    await ctx.as('candidate1').patch(`${BASE}/conversations/${conversation.id}/status`).send({ status: 'open' }).expect(200);
    await ctx.as('support2').patch(`${BASE}/conversations/${conversation.id}`).send({ priority: 'high' }).expect(200);

    const page = await events();
    expect(page.next_cursor).toBeNull();
    // One request that changes two fields writes two entries with the same time: order those by action.
    const ordered = [...page.events].sort((a, b) => b.occurred_at.localeCompare(a.occurred_at) || a.action.localeCompare(b.action));
    expect(ordered.map(({ action, actor_user_id, conversation_id, before, after }) => ({ action, actor_user_id, conversation_id, before, after }))).toEqual([
      {
        action: 'conversation.created',
        actor_user_id: TEST_USERS.admin1.id,
        conversation_id: forCandidate.id,
        before: null,
        after: { candidate_user_id: TEST_USERS.candidate2.id, subject: 'Seguimiento', priority: 'normal', status: 'open' },
      },
      {
        action: 'conversation.status_changed',
        actor_user_id: TEST_USERS.support2.id,
        conversation_id: conversation.id,
        before: { status: 'open' },
        after: { status: 'resolved' },
      },
      {
        action: 'conversation.assigned',
        actor_user_id: TEST_USERS.support1.id,
        conversation_id: conversation.id,
        before: { assigned_support_user_id: TEST_USERS.support1.id },
        after: { assigned_support_user_id: TEST_USERS.support2.id },
      },
      {
        action: 'conversation.priority_changed',
        actor_user_id: TEST_USERS.support1.id,
        conversation_id: conversation.id,
        before: { priority: 'normal' },
        after: { priority: 'high' },
      },
      {
        action: 'conversation.assigned',
        actor_user_id: TEST_USERS.support1.id,
        conversation_id: conversation.id,
        before: { assigned_support_user_id: null },
        after: { assigned_support_user_id: TEST_USERS.support1.id, motivo: 'primera_respuesta' },
      },
    ]);
    expect(ordered[1]).toMatchObject({ actor_name: TEST_USERS.support2.full_name, actor_role: 'soporte' });
    const times = page.events.map((event) => event.occurred_at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('filters by actor, action, conversation and time range, and pages with a cursor', async () => {
    const first = { id: 'f0000000-0000-4000-8000-000000000001' };
    const second = { id: 'f0000000-0000-4000-8000-000000000002' };
    await seed(
      Array.from({ length: 60 }, (_, i): Parameters<typeof seed>[0][number] => ({
        as: i % 2 === 0 ? 'support1' : 'admin1',
        action: 'conversation.priority_changed',
        conversationId: i % 2 === 0 ? first.id : second.id,
      })).concat([{ as: 'admin1', action: 'conversation.status_changed', conversationId: second.id }]),
    );
    const firstPage = await events();
    expect(firstPage.events).toHaveLength(50);
    expect(firstPage.next_cursor).toEqual(expect.any(String));
    const secondPage = await events(`?cursor=${firstPage.next_cursor}`);
    expect(secondPage.events).toHaveLength(11);
    expect(secondPage.next_cursor).toBeNull();
    const ids = [...firstPage.events, ...secondPage.events].map((event) => event.id);
    expect(new Set(ids).size).toBe(61);

    expect((await events(`?actor_user_id=${TEST_USERS.support1.id}`)).events.every((event) => event.actor_user_id === TEST_USERS.support1.id)).toBe(true);
    expect((await events(`?actor_user_id=${TEST_USERS.support1.id}`)).events).toHaveLength(30);
    expect((await events('?action=conversation.status_changed')).events.map((event) => event.conversation_id)).toEqual([second.id]);
    expect((await events(`?conversation_id=${first.id}`)).events).toHaveLength(30);
    const middle = firstPage.events[25].occurred_at;
    const older = await events(`?to=${encodeURIComponent(middle)}&conversation_id=${second.id}`);
    expect(older.events.every((event) => event.occurred_at < middle)).toBe(true);
    const newer = await events(`?from=${encodeURIComponent(middle)}&conversation_id=${second.id}`);
    expect(newer.events.every((event) => event.occurred_at >= middle)).toBe(true);
    expect(older.events.length + newer.events.length).toBe(31);
    expect((await events('?from=2999-01-01T00:00:00Z')).events).toEqual([]);
  });

  it('refuses bad filters with a Spanish 400 and a code', async () => {
    for (const [query, code] of [
      ['?action=conversation.deleted', 'invalid_action'],
      ['?from=ayer', 'invalid_from'],
      ['?conversation_id=123', 'invalid_conversation_id'],
      ['?cursor=bm90LWpzb24', 'invalid_audit_cursor'],
      ['?cursor=a%20b', 'invalid_audit_cursor'],
      ['?desde=2026-01-01', 'unknown_field'],
    ] as const) {
      const response = await ctx.as('manager1').get(`${BASE}/audit-events${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(JSON.stringify(response.body)).toContain(code);
      expect(typeof response.body.error).toBe('string');
    }
  });

  it('is visible to supervisors and admin only, and nothing can edit or delete an entry', async () => {
    const conversation = await chat.newConversation('candidate1');
    await ctx.as('support1').patch(`${BASE}/conversations/${conversation.id}`).send({ priority: 'high' }).expect(200);
    for (const as of ['candidate1', 'support1', 'developer1'] as const) {
      for (const path of ['audit-events', 'audit-events/export']) {
        const response = await ctx.as(as).get(`${BASE}/${path}`).expect(403);
        expect({ path, type: response.headers['content-type'], text: response.text }).toEqual({
          path,
          type: expect.stringContaining('application/json'),
          text: expect.stringContaining('audit_forbidden'),
        });
      }
    }
    expect((await ctx.as('guest1').get(`${BASE}/audit-events`).expect(403)).body.code).toBe('forbidden_role');
    const [entry] = (await events('', 'admin1')).events;
    const http = request(ctx.app.getHttpServer());
    for (const as of ['admin1', 'manager1'] as const) {
      const auth = `Bearer ${TEST_USERS[as].id}`;
      for (const call of [
        http.delete(`${BASE}/audit-events/${entry.id}`),
        http.patch(`${BASE}/audit-events/${entry.id}`).send({ action: 'x' }),
        http.put(`${BASE}/audit-events/${entry.id}`).send({ action: 'x' }),
        http.delete(`${BASE}/audit-events`),
        http.post(`${BASE}/audit-events`).send({ action: 'conversation.created' }),
      ]) {
        expect([404, 403]).toContain((await call.set('Authorization', auth)).status);
      }
    }
    expect((await events()).events).toEqual([entry]);
  });

  it('writes the entry in the action’s transaction: when the entry cannot be written, the action is not done either', async () => {
    if (ctx.dataSource.options.type !== 'better-sqlite3') return; // the failure is injected with a SQLite trigger
    const conversation = await chat.newConversation('candidate1');
    await ctx.dataSource.query("CREATE TRIGGER audit_down BEFORE INSERT ON support_audit_events BEGIN SELECT RAISE(ABORT, 'audit down'); END");
    await ctx
      .as('support1')
      .patch(`${BASE}/conversations/${conversation.id}`)
      .send({ priority: 'high', assigned_support_user_id: TEST_USERS.support1.id })
      .expect(500);
    await ctx.as('support1').patch(`${BASE}/conversations/${conversation.id}/status`).send({ status: 'closed' }).expect(500);
    const unchanged = (await ctx.as('support1').get(`${BASE}/conversations/${conversation.id}`).expect(200)).body.conversation;
    expect(unchanged).toMatchObject({ priority: 'normal', status: 'open', assigned_support_user_id: null });
    const history = await ctx.as('support1').get(`${BASE}/conversations/${conversation.id}/messages`).expect(200);
    expect(history.body.messages).toEqual([]);
    await ctx.dataSource.query('DROP TRIGGER audit_down');
    await ctx.as('support1').patch(`${BASE}/conversations/${conversation.id}`).send({ priority: 'high' }).expect(200);
    expect((await events()).events.map((event) => event.action)).toEqual(['conversation.priority_changed']);
  });

  it('exports the filtered trail as CSV, escaped and guarded against formula injection', async () => {
    ctx.users.put({ ...TEST_USERS.support1, full_name: '=HYPERLINK("http://malo"), "Sofía"' });
    const conversation = await chat.newConversation('candidate1');
    await ctx.as('support1').patch(`${BASE}/conversations/${conversation.id}`).send({ priority: 'high' }).expect(200);
    await ctx.as('admin1').patch(`${BASE}/conversations/${conversation.id}/status`).send({ status: 'resolved' }).expect(200);

    const response = await ctx
      .as('manager1')
      .get(`${BASE}/audit-events/export`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="auditoria-chat-soporte.csv"');
    const text = response.body as string;
    expect(text.startsWith('\uFEFFfecha_utc,usuario_id,usuario,rol,accion,conversacion_id,antes,despues\r\n')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toHaveLength(4); // header, two entries, and the empty string after the last CRLF
    expect(lines[1]).toMatch(
      new RegExp(
        `^[^,]+Z,${TEST_USERS.admin1.id},Ana Admin,admin,conversation.status_changed,${conversation.id},"{""status"":""open""}","{""status"":""resolved""}"$`,
      ),
    );
    expect(lines[2]).toContain(`,"'=HYPERLINK(""http://malo""), ""Sofía""",soporte,conversation.priority_changed,`);

    const filtered = await ctx
      .as('admin1')
      .get(`${BASE}/audit-events/export?action=conversation.priority_changed`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
    expect((filtered.body as string).split('\r\n').filter(Boolean)).toHaveLength(2);
  });

  it('streams a long export in batches without losing or repeating entries', async () => {
    await seed(
      Array.from({ length: 1234 }, (_, i) => ({
        as: 'support1' as const,
        action: 'labels.changed' as const,
        conversationId: `f0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      })),
    );
    const response = await ctx
      .as('manager1')
      .get(`${BASE}/audit-events/export`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
    const rows = (response.body as string).split('\r\n').filter(Boolean).slice(1);
    expect(rows).toHaveLength(1234);
    expect(new Set(rows.map((row) => row.split(',')[5])).size).toBe(1234);
  });
});
