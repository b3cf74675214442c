import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';

import { SupportConversationEntity, SupportMessageEntity } from '../src/persistence/entities';
import { redisReachableSync } from '../src/realtime/testing/realtime-test-kit';
import { ChatTestApp, createChatTestApp, TEST_USERS } from '../src/testing/chat-test-app';
import { RedisThrottlerStorage } from '../src/limits/redis-throttler-storage';
import { loadSupportChatLimits } from '../src/limits/abuse-limits.config';

const REDIS_URL = 'redis://127.0.0.1:6379';
const REDIS_UP = redisReachableSync(6379);
if (!REDIS_UP) console.warn('SKIPPED rate-limit Redis tests: no Redis answers on 127.0.0.1:6379 (start one to run them).');

const conversations = '/api/support/chat/conversations';
const messagesOf = (id: string) => `${conversations}/${id}/messages`;

async function openConversation(t: ChatTestApp, user: 'candidate1' | 'candidate2' = 'candidate1'): Promise<string> {
  const response = await t.as(user).post(conversations).send({ subject: 'Ayuda' }).expect(201);
  return (response.body as { conversation: { id: string } }).conversation.id;
}

describe('abuse limits configuration', () => {
  it('reads SUPPORT_CHAT_* variables, defaults to sensible limits, accepts 0 (off) and rejects garbage', () => {
    expect(loadSupportChatLimits({})).toEqual({
      messagesPerMinute: 30,
      conversationsPerHour: 10,
      maxOpenConversationsPerCandidate: 5,
      ticketsPerMinute: 30,
      statusChangesPerMinute: 10,
      typingEventsPerMinute: 60,
      presenceEventsPerMinute: 30,
      transcriptsPerMinute: 10,
      preferenceChangesPerMinute: 20,
      searchesPerMinute: 30,
      quickRepliesAndLabelsPerMinute: 60,
    });
    expect(
      loadSupportChatLimits({
        SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
        SUPPORT_CHAT_RATE_LIMIT_CONVERSATIONS_PER_HOUR: '3',
        SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE: '2',
        SUPPORT_CHAT_RATE_LIMIT_TICKETS_PER_MINUTE: '4',
        SUPPORT_CHAT_RATE_LIMIT_STATUS_CHANGES_PER_MINUTE: '5',
        SUPPORT_CHAT_RATE_LIMIT_TYPING_PER_MINUTE: '6',
        SUPPORT_CHAT_RATE_LIMIT_PRESENCE_PER_MINUTE: '7',
        SUPPORT_CHAT_RATE_LIMIT_TRANSCRIPTS_PER_MINUTE: '8',
        SUPPORT_CHAT_RATE_LIMIT_PREFERENCES_PER_MINUTE: '9',
        SUPPORT_CHAT_RATE_LIMIT_SEARCHES_PER_MINUTE: '8',
        SUPPORT_CHAT_RATE_LIMIT_QUICK_REPLIES_AND_LABELS_PER_MINUTE: '11',
      }),
    ).toEqual({
      messagesPerMinute: 0,
      conversationsPerHour: 3,
      maxOpenConversationsPerCandidate: 2,
      ticketsPerMinute: 4,
      statusChangesPerMinute: 5,
      typingEventsPerMinute: 6,
      presenceEventsPerMinute: 7,
      transcriptsPerMinute: 8,
      preferenceChangesPerMinute: 9,
      searchesPerMinute: 8,
      quickRepliesAndLabelsPerMinute: 11,
    });
    expect(() =>
      loadSupportChatLimits({ SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE: 'muchos', SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE: '-1' }),
    ).toThrow(/SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE[\s\S]*SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE/);
  });
});

describe('the open-conversation cap under concurrent requests', () => {
  // Server databases run write transactions in parallel (SQLite queues them): run with
  // `npm run test:postgres` / `npm run test:mariadb` to exercise the race this guards against.
  let t: ChatTestApp;
  beforeEach(async () => {
    t = await createChatTestApp({ chat: { limits: { messagesPerMinute: 0, conversationsPerHour: 0, maxOpenConversationsPerCandidate: 2 } } });
  });
  afterEach(() => t.close());

  const openCount = () => t.dataSource.getRepository(SupportConversationEntity).countBy({ candidateUserId: TEST_USERS.candidate1.id, status: 'open' });
  const statuses = (requests: Promise<{ status: number }>[]) => Promise.all(requests).then((responses) => responses.map((r) => r.status).sort());

  it('never lets simultaneous reopening messages, status changes and creations exceed it', async () => {
    const resolved: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await t.as('support1').post(conversations).send({ candidate_user_id: TEST_USERS.candidate1.id }).expect(201);
      const id = (created.body as { conversation: { id: string } }).conversation.id;
      await t.as('support1').patch(`${conversations}/${id}/status`).send({ status: 'resolved' }).expect(200);
      resolved.push(id);
    }

    const byMessage = await statuses(resolved.map((id) => t.as('candidate1').post(messagesOf(id)).send({ content: 'Sigo con el problema' })));
    expect(byMessage).toEqual([201, 201, 409, 409, 409, 409]);
    expect(await openCount()).toBe(2);

    const open = await t.dataSource.getRepository(SupportConversationEntity).findBy({ candidateUserId: TEST_USERS.candidate1.id, status: 'open' });
    for (const conversation of open) await t.as('candidate1').patch(`${conversations}/${conversation.id}/status`).send({ status: 'resolved' }).expect(200);
    const mixed = await statuses([
      ...resolved.slice(0, 2).map((id) => t.as('candidate1').patch(`${conversations}/${id}/status`).send({ status: 'open' })),
      ...resolved.slice(2, 4).map((id) => t.as('candidate1').post(messagesOf(id)).send({ content: 'Otra vez' })),
      t.as('candidate1').post(conversations).send({ subject: 'Nueva' }),
      t.as('candidate1').post(conversations).send({ subject: 'Otra nueva' }),
    ]);
    expect(mixed.filter((status) => status === 409)).toHaveLength(4);
    expect(await openCount()).toBe(2);
  });

  it('lets two simultaneous messages (or status changes) reopening the same conversation through: the second finds it reopened', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await t.as('support1').post(conversations).send({ candidate_user_id: TEST_USERS.candidate1.id }).expect(201);
      ids.push((created.body as { conversation: { id: string } }).conversation.id);
    }
    const [, resolved] = ids as [string, string]; // the first stays open: one slot left
    await t.as('support1').patch(`${conversations}/${resolved}/status`).send({ status: 'resolved' }).expect(200);

    const sent = await statuses(
      [0, 1].map((i) =>
        t
          .as('candidate1')
          .post(messagesOf(resolved))
          .send({ content: `Sigo aquí ${i}` }),
      ),
    );
    expect(sent).toEqual([201, 201]);
    expect(await openCount()).toBe(2);
    const systemEntries = () => t.dataSource.getRepository(SupportMessageEntity).countBy({ conversationId: resolved, messageType: 'system' });
    expect(await systemEntries()).toBe(2); // "resolved" by staff, then one "reopened", not two

    // The same with two simultaneous status changes to open.
    await t.as('candidate1').patch(`${conversations}/${resolved}/status`).send({ status: 'resolved' }).expect(200);
    const reopened = await statuses([0, 1].map(() => t.as('candidate1').patch(`${conversations}/${resolved}/status`).send({ status: 'open' })));
    expect(reopened).toEqual([200, 200]);
    expect(await openCount()).toBe(2);
    expect(await systemEntries()).toBe(4);
  });
});

describe('per-user rate limits and the open-conversation cap (in process)', () => {
  let t: ChatTestApp;
  beforeEach(async () => {
    t = await createChatTestApp({ chat: { limits: { messagesPerMinute: 3, conversationsPerHour: 100, maxOpenConversationsPerCandidate: 2 } } });
  });
  afterEach(() => t.close());

  it('answers 429 rate_limited in Spanish with Retry-After once a user sends too many messages, writing nothing, and only for that user', async () => {
    const id = await openConversation(t);
    for (let i = 0; i < 3; i++)
      await t
        .as('candidate1')
        .post(messagesOf(id))
        .send({ content: `m${i}` })
        .expect(201);
    const before = await t.dataSource.getRepository(SupportMessageEntity).count();

    const limited = await t.as('candidate1').post(messagesOf(id)).send({ content: 'uno más' }).expect(429);
    expect(limited.body).toEqual({ error: expect.stringMatching(/demasiado rápido/), code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await t.dataSource.getRepository(SupportMessageEntity).count()).toBe(before);

    // Another user (staff replying in the same conversation) has their own budget; reading is not limited.
    await t.as('support1').post(messagesOf(id)).send({ content: 'Hola' }).expect(201);
    await t.as('candidate1').get(messagesOf(id)).expect(200);
  });

  it('limits conversation creation per user per hour', async () => {
    await t.close();
    t = await createChatTestApp({ chat: { limits: { conversationsPerHour: 3 } } });
    await t.as('support1').post(conversations).send({ candidate_user_id: TEST_USERS.candidate1.id }).expect(201);
    await t.as('support1').post(conversations).send({ candidate_user_id: TEST_USERS.candidate2.id }).expect(201);
    await t.as('support1').post(conversations).send({ candidate_user_id: TEST_USERS.candidate2.id }).expect(201);
    const limited = await t.as('support1').post(conversations).send({ candidate_user_id: TEST_USERS.candidate1.id }).expect(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(60);
  });

  it("caps a candidate's open conversations with 409 open_conversation_limit, on creation and on reopening", async () => {
    const first = await openConversation(t);
    await openConversation(t);
    const refused = await t.as('candidate1').post(conversations).send({ subject: 'Tercera' }).expect(409);
    expect(refused.body).toEqual({ error: expect.stringMatching(/máximo 2/), code: 'open_conversation_limit' });
    expect(await t.dataSource.getRepository(SupportConversationEntity).countBy({ candidateUserId: TEST_USERS.candidate1.id })).toBe(2);

    // Resolving one frees a slot; reopening it while the slot is taken again is refused.
    await t.as('candidate1').patch(`${conversations}/${first}/status`).send({ status: 'resolved' }).expect(200);
    await openConversation(t);
    const reopen = await t.as('candidate1').patch(`${conversations}/${first}/status`).send({ status: 'open' }).expect(409);
    expect(reopen.body.code).toBe('open_conversation_limit');

    // Writing into the resolved conversation would reopen it: refused the same way, and nothing is written.
    const messagesBefore = await t.dataSource.getRepository(SupportMessageEntity).countBy({ conversationId: first });
    const write = await t.as('candidate1').post(messagesOf(first)).send({ content: 'Sigo con el problema' }).expect(409);
    expect(write.body).toEqual({ error: expect.stringMatching(/máximo 2/), code: 'open_conversation_limit' });
    expect(await t.dataSource.getRepository(SupportMessageEntity).countBy({ conversationId: first })).toBe(messagesBefore);
    expect(await t.dataSource.getRepository(SupportConversationEntity).findOneByOrFail({ id: first })).toMatchObject({ status: 'resolved' });
    expect(await t.dataSource.getRepository(SupportConversationEntity).countBy({ candidateUserId: TEST_USERS.candidate1.id, status: 'open' })).toBe(2);
    // Staff may still answer in it (it stays resolved), and with a free slot the candidate's message reopens it.
    await t.as('support1').post(messagesOf(first)).send({ content: 'Te leemos' }).expect(201);
    const [other] = await t.dataSource.getRepository(SupportConversationEntity).findBy({ candidateUserId: TEST_USERS.candidate1.id, status: 'open' });
    await t.as('candidate1').patch(`${conversations}/${other!.id}/status`).send({ status: 'resolved' }).expect(200);
    await t.as('candidate1').post(messagesOf(first)).send({ content: 'Sigo con el problema' }).expect(201);
    expect(await t.dataSource.getRepository(SupportConversationEntity).findOneByOrFail({ id: first })).toMatchObject({ status: 'open' });

    // Other candidates and staff acting for a candidate are not affected by candidate1's cap.
    await openConversation(t, 'candidate2');
    await t.as('support1').post(conversations).send({ candidate_user_id: TEST_USERS.candidate1.id }).expect(201);
  });
});

(REDIS_UP ? describe : describe.skip)('rate limits shared through Redis (127.0.0.1:6379)', () => {
  let redis: Redis;
  const prefix = `support-chat-test-${randomUUID()}`;
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('counts atomically: 50 concurrent hits with limit 10 let exactly 10 through', async () => {
    const storage = new RedisThrottlerStorage(REDIS_URL, `${prefix}:atomic`);
    try {
      const results = await Promise.all(Array.from({ length: 50 }, () => storage.increment('user-1', 60_000, 10, 0, 'chat-messages')));
      expect(results.filter((r) => !r.isBlocked)).toHaveLength(10);
      expect(results.map((r) => r.totalHits).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const blocked = results.find((r) => r.isBlocked)!;
      expect(blocked.timeToBlockExpire).toBeGreaterThanOrEqual(1);
      expect(blocked.timeToBlockExpire).toBeLessThanOrEqual(60);
      // The window has an expiry (no counter can live forever).
      const ttl = await redis.pttl(`${prefix}:atomic:chat-messages:user-1:hits`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      await storage.onApplicationShutdown();
    }
  });

  it('keeps blocking for blockDuration once over the limit (the login brake)', async () => {
    const storage = new RedisThrottlerStorage(REDIS_URL, `${prefix}:block`);
    try {
      for (let i = 0; i < 2; i++) expect((await storage.increment('ip', 1_000, 2, 120_000, 'default')).isBlocked).toBe(false);
      const third = await storage.increment('ip', 1_000, 2, 120_000, 'default');
      expect(third).toMatchObject({ isBlocked: true });
      expect(third.timeToBlockExpire).toBeGreaterThan(60);
      expect(await redis.pttl(`${prefix}:block:default:ip:block`)).toBeGreaterThan(60_000);
    } finally {
      await storage.onApplicationShutdown();
    }
  });

  it('lets requests through (and does not hang) while Redis is unreachable', async () => {
    const storage = new RedisThrottlerStorage('redis://127.0.0.1:1', `${prefix}:down`);
    try {
      const record = await storage.increment('user', 60_000, 1, 0, 'chat-messages');
      expect(record.isBlocked).toBe(false);
    } finally {
      await storage.onApplicationShutdown();
    }
  });

  it('holds one budget across two app instances sharing Redis (REDIS_URL)', async () => {
    const realtime = { redisUrl: REDIS_URL, redisKeyPrefix: `${prefix}:apps` };
    const a = await createChatTestApp({ chat: { realtime, limits: { messagesPerMinute: 4 } } });
    const b = await createChatTestApp({ chat: { realtime, limits: { messagesPerMinute: 4 } } });
    try {
      const onA = await openConversation(a);
      const onB = await openConversation(b);
      await a.as('candidate1').post(messagesOf(onA)).send({ content: '1' }).expect(201);
      await b.as('candidate1').post(messagesOf(onB)).send({ content: '2' }).expect(201);
      await a.as('candidate1').post(messagesOf(onA)).send({ content: '3' }).expect(201);
      await b.as('candidate1').post(messagesOf(onB)).send({ content: '4' }).expect(201);
      const limited = await a.as('candidate1').post(messagesOf(onA)).send({ content: '5' }).expect(429);
      expect(limited.body.code).toBe('rate_limited');
      await b.as('candidate1').post(messagesOf(onB)).send({ content: '6' }).expect(429);
      await b
        .as('candidate2')
        .post(messagesOf(await openConversation(b, 'candidate2')))
        .send({ content: 'otro usuario' })
        .expect(201);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
