import { randomUUID } from 'node:crypto';

import { SupportMessageEntity } from '../src/persistence/entities';
import { POSTGRES_SEARCH_TUNING, SearchRepository } from '../src/persistence/repositories/search.repository';
import { TEST_USERS } from '../src/testing/chat-test-app';
import { useChatTestApp } from '../src/testing/use-chat-test-app';

/**
 * Search over message text over HTTP, on whichever database the run uses (SQLite FTS5 here;
 * PostgreSQL tsvector + GIN with `npm run test:postgres`, MariaDB FULLTEXT with `npm run test:mariadb`).
 */
describe('message search (GET /support/chat/search/messages)', () => {
  const { ctx, chat } = useChatTestApp();
  const searchAs = (user: Parameters<typeof ctx.as>[0], q: string) => ctx.as(user).get('/api/support/chat/search/messages').query({ q });

  it('staff find a word typed without accents, candidates only in their own conversations', async () => {
    const own = await chat.newConversation('candidate1', { subject: 'Pago' });
    await chat.send('candidate1', own.id, 'Buenos días');
    await chat.send('candidate1', own.id, 'El cobro de la inscripción aparece duplicado');
    const other = await chat.newConversation('candidate2', { subject: 'Otro' });
    await chat.send('candidate2', other.id, 'Mi inscripción no aparece');

    const staff = await searchAs('support1', 'inscripcion').expect(200);
    expect(staff.body.terms).toEqual(['inscripcion']);
    expect(staff.body.results.map((result: { conversation: { id: string } }) => result.conversation.id)).toEqual([other.id, own.id]);
    const mine = staff.body.results[1];
    expect(mine.message).toMatchObject({ seq: 2, conversation_id: own.id });
    expect(mine.snippet).toContainEqual({ text: 'inscripción', match: true });
    expect(mine.conversation.candidate).toMatchObject({ email: 'carla@example.com' });

    const candidate = await searchAs('candidate1', 'INSCRIPCIÓN duplicado').expect(200);
    expect(candidate.body.results).toHaveLength(1);
    expect(candidate.body.results[0].conversation).toMatchObject({ id: own.id, candidate_user_id: TEST_USERS.candidate1.id });
    expect(candidate.body.results[0].conversation).not.toHaveProperty('priority');
    expect((await searchAs('candidate1', 'aparece').expect(200)).body.results).toHaveLength(1);

    // A staff-only note (H16b's 'note' type) in the candidate's conversation: staff find it, the candidate never.
    await ctx.dataSource.getRepository(SupportMessageEntity).insert({
      id: randomUUID(),
      conversationId: own.id,
      seq: 3,
      clientMessageId: randomUUID(),
      senderUserId: TEST_USERS.support1.id,
      content: 'Nota interna: reembolso autorizado',
      messageType: 'note',
      createdAt: new Date(),
    });
    expect((await searchAs('support1', 'reembolso').expect(200)).body.results).toHaveLength(1);
    expect((await searchAs('candidate1', 'reembolso').expect(200)).body.results).toEqual([]);
  });

  it('engine syntax in the query is only text: never a 500', async () => {
    const conversation = await chat.newConversation('candidate1');
    await chat.send('candidate1', conversation.id, 'examen "final" (parte 2) - sección*');
    for (const q of [
      '"examen',
      'examen*',
      '-examen',
      '+examen +',
      'examen AND (final',
      "exam' OR 1=1 --",
      'NEAR(examen final)',
      'content:examen',
      '@@ :* & |',
      'sección\\',
    ]) {
      const response = await searchAs('support1', q);
      // A query with words answers; one without any is the documented 400.
      expect([q, response.status, response.body.code]).toEqual(/[\p{L}\p{N}]{2}/u.test(q) ? [q, 200, undefined] : [q, 400, 'search_query_invalid']);
    }
    expect((await searchAs('support1', 'seccion parte').expect(200)).body.results).toHaveLength(1);
  });

  it('rejects a query without words or too long with search_query_invalid, and no q with a validation code', async () => {
    const empty = await searchAs('support1', ' *** - ').expect(400);
    expect(empty.body).toMatchObject({ code: 'search_query_invalid', details: [{ field: 'q', code: 'search_query_invalid' }] });
    expect(empty.body.error).toMatch(/palabra/);
    expect((await searchAs('support1', 'a'.repeat(201)).expect(400)).body.code).toBe('search_query_invalid');
    expect((await ctx.as('support1').get('/api/support/chat/search/messages').expect(400)).body.code).toBe('search_query_invalid');
    // guest1's role is in none of the lists (manager1 is a read-only supervisor now, who may search).
    expect((await ctx.as('guest1').get('/api/support/chat/search/messages').query({ q: 'hola' }).expect(403)).body.code).toBe('forbidden_role');
    await ctx.as('manager1').get('/api/support/chat/search/messages').query({ q: 'hola' }).expect(200);
  });

  it('the newest-messages walk and the full index read give the same newest matches, in the same order', async () => {
    // PostgreSQL staff searches walk the newest messages first and read every match from the GIN index
    // only when that walk does not fill the page; the other engines have one path, checked the same way.
    for (const [index, candidate] of (['candidate1', 'candidate2', 'candidate1'] as const).entries()) {
      const conversation = await chat.newConversation(candidate);
      for (let i = 0; i < 4; i++) {
        await chat.send(candidate, conversation.id, `mi constancia ${index}-${i} no llega`);
        await chat.send(candidate, conversation.id, `otro mensaje ${index}-${i}`);
      }
    }
    const expected = (
      (await ctx.dataSource.query(
        `SELECT id FROM support_messages WHERE content LIKE '%constancia%' AND message_type = 'text' ORDER BY created_at DESC, id DESC`,
      )) as { id: string }[]
    ).map((row) => row.id);
    expect(expected).toHaveLength(12);
    const repository = ctx.app.get(SearchRepository);
    const ids = async (limit: number, window: number) => {
      repository.postgresTuning = { window };
      return (await repository.matchingMessages(['constancia'], { audience: 'staff' }, limit)).map((hit) => hit.id);
    };
    for (const limit of [1, 3, 12, 20]) {
      // A window of the whole table: the walk fills the page (when there are enough matches).
      expect(await ids(limit, 1000)).toEqual(expected.slice(0, limit));
      // A window of `limit` rows whose newest is not a match: the walk cannot fill it, the index answers.
      expect(await ids(limit, 1)).toEqual(expected.slice(0, limit));
    }
    repository.postgresTuning = POSTGRES_SEARCH_TUNING;
    const first = (await searchAs('support1', 'constancia').expect(200)).body.results as { message: { id: string } }[];
    expect(first.map((result) => result.message.id)).toEqual(expected.filter((_, i) => i % 4 === 0));
  });

  it('opens the history around a seq and pages both ways from there', async () => {
    const conversation = await chat.newConversation('candidate1');
    for (let i = 1; i <= 30; i++) await chat.send('candidate1', conversation.id, `mensaje ${i}`);
    const path = `/api/support/chat/conversations/${conversation.id}/messages`;
    const window = await ctx.as('support1').get(path).query({ around_seq: 15, per_page: 10 }).expect(200);
    expect(window.body.messages.map((m: { seq: number }) => m.seq)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(window.body).toMatchObject({ has_older: true, has_newer: true, page: null });
    const end = await ctx.as('support1').get(path).query({ around_seq: 29, per_page: 10 }).expect(200);
    expect(end.body.messages.map((m: { seq: number }) => m.seq)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(end.body.has_newer).toBe(false);
    const start = await ctx.as('support1').get(path).query({ around_seq: 2, per_page: 10 }).expect(200);
    expect(start.body.messages[0].seq).toBe(1);
    expect(start.body.has_older).toBe(false);
    const both = await ctx.as('support1').get(path).query({ around_seq: 2, after_seq: 3 }).expect(400);
    expect(both.body.code).toBe('validation_failed');
    expect((await ctx.as('support1').get(path).query({ around_seq: 0 }).expect(400)).body.code).toBe('invalid_around_seq');
  });
});

describe('message search rate limit', () => {
  const { ctx } = useChatTestApp({ chat: { limits: { searchesPerMinute: 2 } } });

  it('answers 429 rate_limited with Retry-After past SUPPORT_CHAT_RATE_LIMIT_SEARCHES_PER_MINUTE', async () => {
    const search = () => ctx.as('support1').get('/api/support/chat/search/messages').query({ q: 'hola' });
    await search().expect(200);
    await search().expect(200);
    const limited = await search().expect(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
  });
});
