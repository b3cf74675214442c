import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import request from 'supertest';

import { SUPERVISOR_ALLOWED_KEY, SUPERVISOR_SAFE_METHODS } from '../src/auth/chat-access.guard';
import { SUPPORT_CHAT_SCHEMA } from '../src/persistence/schema/support-chat.schema';
import { SupportChatModule } from '../src/support-chat.module';
import { ChatTestApp, TEST_USERS } from '../src/testing/chat-test-app';
import { useChatTestApp } from '../src/testing/use-chat-test-app';

const BASE = '/api/support/chat';

interface Route {
  method: string;
  path: string;
  supervisorAllowed: string | undefined;
}

/**
 * Every HTTP route of the controllers the mounted `SupportChatModule` registered, read from Nest's own
 * container: a controller or route added later (by any feature) is in this list without anyone
 * remembering to add it.
 */
function chatRoutes(ctx: ChatTestApp): Route[] {
  const routes: Route[] = [];
  for (const module of ctx.app.get(ModulesContainer).values()) {
    if (module.metatype !== SupportChatModule) continue;
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown>;
      const prefixes = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        for (const prefix of prefixes) {
          for (const path of [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat()) {
            routes.push({
              method: RequestMethod[method],
              path: `/${[prefix, path].filter((part) => part && part !== '/').join('/')}`.replace(/\/+/g, '/'),
              supervisorAllowed: Reflect.getMetadata(SUPERVISOR_ALLOWED_KEY, handler) as string | undefined,
            });
          }
        }
      }
    }
  }
  return routes;
}

/** Every row of every chat table, to prove that nothing at all was written. */
async function snapshot(ctx: ChatTestApp): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  // Ordered by each table's own primary key (not every table's is `id`: settings, preferences).
  for (const table of SUPPORT_CHAT_SCHEMA) tables[table.name] = await ctx.dataSource.query(`SELECT * FROM ${table.name} ORDER BY ${table.primaryKey}`);
  return tables;
}

function send(ctx: ChatTestApp, method: string, url: string, userId: string): request.Test {
  const agent = request(ctx.app.getHttpServer());
  const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  return agent[verb](url).set('Authorization', `Bearer ${userId}`).send({});
}

describe('supervisor (read-only) role', () => {
  const { ctx, chat } = useChatTestApp();

  async function busyConversation(): Promise<{ id: string; messageId: string }> {
    const conversation = await chat.newConversation('candidate1');
    await chat.send('candidate1', conversation.id, 'Hola, no puedo iniciar mi examen');
    await chat.send('support1', conversation.id, '¿Qué error ves?');
    const message = await chat.send('candidate1', conversation.id, 'Dice "sesión inválida"');
    return { id: conversation.id, messageId: message.id };
  }

  it('authorization matrix: every writing route of the module answers a supervisor 403 supervisor_read_only, and nothing is written', async () => {
    const { id, messageId } = await busyConversation();
    const routes = chatRoutes(ctx);
    const writing = routes.filter((route) => !SUPERVISOR_SAFE_METHODS.includes(route.method));
    // The scan really found the module's routes (a broken scan must not pass by finding none).
    expect(writing.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        'POST /support/chat/conversations',
        'PATCH /support/chat/conversations/:conversationId',
        'POST /support/chat/conversations/:conversationId/messages',
        'PATCH /support/chat/conversations/:conversationId/status',
      ]),
    );
    // The only exceptions, each reviewed: a route that joins this list must say why it changes nothing.
    expect(
      writing
        .filter((route) => route.supervisorAllowed)
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    ).toEqual(['POST /support/chat/conversations/:conversationId/read', 'POST /support/chat/events/ticket']);

    const before = await snapshot(ctx);
    const refused: string[] = [];
    for (const route of writing) {
      const url = `/api${route.path.replace(':conversationId', id).replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000')}`;
      const response = await send(ctx, route.method, url, TEST_USERS.manager1.id);
      if (route.supervisorAllowed) {
        expect(response.status).toBeLessThan(500);
        expect(response.body.code).not.toBe('supervisor_read_only');
        continue;
      }
      expect({ route: `${route.method} ${route.path}`, status: response.status, code: response.body.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 403,
        code: 'supervisor_read_only',
      });
      expect(response.body.error).toMatch(/solo lectura/);
      refused.push(route.path);
    }
    expect(refused.length).toBeGreaterThanOrEqual(4);
    // The allowed mark-read with a real message id is a no-op too.
    await ctx.as('manager1').post(`${BASE}/conversations/${id}/read`).send({ last_message_id: messageId }).expect(200);
    expect(await snapshot(ctx)).toEqual(before);
  });

  it('keeps 403 forbidden_role for a role in none of the lists, on every route', async () => {
    const { id } = await busyConversation();
    // `GET /events` authenticates with a single-use ticket, not the bearer token (the ticket route refuses first).
    for (const route of chatRoutes(ctx).filter((candidate) => !(candidate.method === 'GET' && candidate.path === '/support/chat/events'))) {
      const url = `/api${route.path.replace(/:[A-Za-z]+/g, id)}`;
      const response = await send(ctx, route.method, url, TEST_USERS.guest1.id);
      expect({ route: `${route.method} ${route.path}`, status: response.status, code: response.body.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 403,
        code: 'forbidden_role',
      });
    }
  });

  it('sees every conversation and its history like staff, and GET /me says supervisor', async () => {
    const { id } = await busyConversation();
    const other = await chat.newConversation('candidate2');
    expect((await ctx.as('manager1').get(`${BASE}/me`).expect(200)).body).toEqual({
      user_id: TEST_USERS.manager1.id,
      role: 'gerente',
      kind: 'supervisor',
      can_reopen_closed: false,
      can_audit: true,
    });
    const list = await ctx.as('manager1').get(`${BASE}/conversations`).expect(200);
    expect(list.body.conversations.map((c: { id: string }) => c.id).sort()).toEqual([id, other.id].sort());
    // Staff-only fields (priority, the candidate's contact data) are visible to supervisors as to staff.
    expect(list.body.conversations[0]).toHaveProperty('priority');
    const history = await ctx.as('manager1').get(`${BASE}/conversations/${id}/messages`).expect(200);
    expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual([
      'Hola, no puedo iniciar mi examen',
      '¿Qué error ves?',
      'Dice "sesión inválida"',
    ]);
    await ctx.as('manager1').get(`${BASE}/conversations/${id}`).expect(200);
  });

  it("reading as a supervisor moves no read marker and changes nobody's unread count (theirs is always 0)", async () => {
    const { id, messageId } = await busyConversation();
    const unreadBefore = { support1: await chat.unread('support1'), support2: await chat.unread('support2'), candidate1: await chat.unread('candidate1') };
    const markersBefore = (await ctx.as('candidate1').get(`${BASE}/conversations/${id}/read-markers`).expect(200)).body;

    await ctx.as('manager1').get(`${BASE}/conversations/${id}/messages`).expect(200);
    const read = await ctx.as('manager1').post(`${BASE}/conversations/${id}/read`).send({ last_message_id: messageId }).expect(200);
    expect(read.body).toEqual({ conversation_id: id, last_read_message_id: null, last_read_seq: 0, last_read_at: null, unread_count: 0 });
    await ctx.as('manager1').post(`${BASE}/conversations/${id}/read`).send({}).expect(200);
    const markers = await ctx.as('manager1').get(`${BASE}/conversations/${id}/read-markers`).expect(200);
    expect(markers.body.unread_count).toBe(0);
    expect(markers.body.markers.map((m: { user_id: string }) => m.user_id)).not.toContain(TEST_USERS.manager1.id);

    expect({ support1: await chat.unread('support1'), support2: await chat.unread('support2'), candidate1: await chat.unread('candidate1') }).toEqual(
      unreadBefore,
    );
    expect((await ctx.as('candidate1').get(`${BASE}/conversations/${id}/read-markers`).expect(200)).body).toEqual(markersBefore);
    expect((await ctx.as('manager1').get(`${BASE}/unread-count`).expect(200)).body).toEqual({ unread_count: 0, conversations_with_unread: 0 });
    const list = await ctx.as('manager1').get(`${BASE}/conversations`).expect(200);
    expect(list.body.conversations.map((c: { unread_count: number }) => c.unread_count)).toEqual([0]);
    const participants = await ctx.dataSource.query('SELECT user_id FROM support_conversation_participants');
    expect(participants.map((row: { user_id: string }) => row.user_id)).not.toContain(TEST_USERS.manager1.id);
    // A message id of another conversation is still refused, as for anyone.
    const other = await chat.newConversation('candidate2');
    const foreign = await chat.send('candidate2', other.id, 'Otra');
    expect((await ctx.as('manager1').post(`${BASE}/conversations/${id}/read`).send({ last_message_id: foreign.id }).expect(400)).body.code).toBe(
      'message_not_found',
    );
  });

  it("reads the team's data like staff: the staff directory, the labels and the label filter; not the composer's quick replies", async () => {
    const { id } = await busyConversation();
    const label = await ctx.as('admin1').post(`${BASE}/labels`).send({ name: 'Examen', color: '#1e88e5' }).expect(201);
    await ctx.as('support1').put(`${BASE}/conversations/${id}/labels/${label.body.label.id}`).send({}).expect(200);

    const staff = await ctx.as('manager1').get(`${BASE}/staff`).expect(200);
    expect(staff.body.staff.map((m: { id: string }) => m.id)).toContain(TEST_USERS.support1.id);
    expect(staff.body.staff.map((m: { id: string }) => m.id)).not.toContain(TEST_USERS.manager1.id);
    const labels = await ctx.as('manager1').get(`${BASE}/labels`).expect(200);
    expect(labels.body).toEqual({ labels: [expect.objectContaining({ name: 'Examen' })], can_manage: false });
    const filtered = await ctx.as('manager1').get(`${BASE}/conversations?label_id=${label.body.label.id}`).expect(200);
    expect(filtered.body.conversations.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await ctx.as('manager1').get(`${BASE}/quick-replies`).expect(403)).body.code).toBe('supervisor_read_only');
    // Candidates still may not.
    await ctx.as('candidate1').get(`${BASE}/staff`).expect(403);
    await ctx.as('candidate1').get(`${BASE}/labels`).expect(403);
  });

  it('cannot be assigned a conversation (supervisors are not agents)', async () => {
    const { id } = await busyConversation();
    const response = await ctx.as('support1').patch(`${BASE}/conversations/${id}`).send({ assigned_support_user_id: TEST_USERS.manager1.id }).expect(400);
    expect(response.body.code).toBe('assignee_not_staff');
  });
});

describe('SUPPORT_CHAT_SUPERVISOR_ROLES', () => {
  const { ctx } = useChatTestApp({ chat: { env: { SUPPORT_CHAT_SUPERVISOR_ROLES: 'none' } } });

  it('`none` turns supervisors off: gerente is outside the chat again (403 forbidden_role)', async () => {
    const response = await ctx.as('manager1').get(`${BASE}/conversations`).expect(403);
    expect(response.body.code).toBe('forbidden_role');
  });
});
