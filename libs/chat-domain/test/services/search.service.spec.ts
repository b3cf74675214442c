import fc from 'fast-check';

import { fts5MatchExpression, fts5ScopeToken } from '../../src/domain/message-search';
import { ConversationsService } from '../../src/conversations/conversations.service';
import { ChatError, ChatErrorCode } from '../../src/errors/chat-error';
import { MessagesService } from '../../src/messages/messages.service';
import { checkAndCreateSupportChatTables } from '../../src/persistence/schema/check-and-create-support-chat-tables';
import { sqliteSearchDefinitions } from '../../src/persistence/schema/message-search-index';
import { SearchService } from '../../src/search/search.service';
import { newTestService, ServiceTestKit } from '../../src/testing/service-test-kit';

/** Service tier: SearchService over SQLite's FTS5 index, no HTTP. */
describe('SearchService (service tier, SQLite FTS5)', () => {
  let kit: ServiceTestKit;
  let conversations: ConversationsService;
  let messages: MessagesService;
  let search: SearchService;

  beforeEach(async () => {
    kit = await newTestService();
    conversations = kit.get(ConversationsService);
    messages = kit.get(MessagesService);
    search = kit.get(SearchService);
  });
  afterEach(() => kit.close());

  it('finds a message by a word typed without its accents, with the snippet and the seq to open', async () => {
    const carla = kit.actor('candidate1');
    const { id } = await conversations.create(carla, { subject: 'Problema' });
    await messages.send(carla, id, { content: 'Hola' });
    await messages.send(carla, id, { content: 'Mi sesión se canceló a mitad del exámen' });
    await messages.send(kit.actor('support1'), id, { content: 'Lo revisamos' });

    const found = await search.searchMessages(kit.actor('support1'), { q: 'cancelo EXAMEN' });
    expect(found.terms).toEqual(['cancelo', 'examen']);
    expect(found.results).toHaveLength(1);
    expect(found.results[0].conversation.id).toBe(id);
    expect(found.results[0].message.seq).toBe(2);
    expect(found.results[0].snippet.filter((segment) => segment.match).map((segment) => segment.text)).toEqual(['canceló', 'exámen']);
    // Prefixes match; a word that is not there does not.
    expect((await search.searchMessages(kit.actor('support1'), { q: 'exam' })).results).toHaveLength(1);
    expect((await search.searchMessages(kit.actor('support1'), { q: 'examen perdido' })).results).toHaveLength(0);
  });

  it('one result per conversation (its newest match), newest first, within the limit', async () => {
    const support = kit.actor('support1');
    const ids: string[] = [];
    for (const candidate of ['candidate1', 'candidate2'] as const) {
      const { id } = await conversations.create(kit.actor(candidate), {});
      await messages.send(kit.actor(candidate), id, { content: 'la contraseña no funciona' });
      await messages.send(kit.actor(candidate), id, { content: 'sigo sin contraseña' });
      ids.push(id);
    }
    const found = await search.searchMessages(support, { q: 'contrasena' });
    expect(found.results.map((result) => [result.conversation.id, result.message.seq])).toEqual([
      [ids[1], 2],
      [ids[0], 2],
    ]);
    expect((await search.searchMessages(support, { q: 'contrasena', limit: 1 })).results).toHaveLength(1);
  });

  it('candidates find only their own conversations and never staff-only notes; staff find notes', async () => {
    const carla = kit.actor('candidate1');
    const { id: own } = await conversations.create(carla, {});
    await messages.send(carla, own, { content: 'duda sobre el certificado' });
    const { id: other } = await conversations.create(kit.actor('candidate2'), {});
    await messages.send(kit.actor('candidate2'), other, { content: 'mi certificado no llega' });
    // An internal note (issue 16, H16b's message type), inserted as the append path would store it.
    await kit.dataSource.query(
      `INSERT INTO support_messages (id, conversation_id, seq, client_message_id, sender_user_id, content, message_type, created_at)
       VALUES ('00000000-0000-4000-8000-0000000000aa', ?, 2, '00000000-0000-4000-8000-0000000000ab', ?, 'nota interna: certificado revocado', 'note', datetime('now'))`,
      [own, kit.actor('support1').id],
    );

    const candidateResults = await search.searchMessages(carla, { q: 'certificado' });
    expect(candidateResults.results.map((result) => [result.conversation.id, result.message.message_type])).toEqual([[own, 'text']]);
    expect((await search.searchMessages(carla, { q: 'revocado' })).results).toEqual([]);
    const staffResults = await search.searchMessages(kit.actor('support1'), { q: 'revocado' });
    expect(staffResults.results.map((result) => result.message.message_type)).toEqual(['note']);
  });

  it('the start-up check indexes the messages written before the index existed, once', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    await messages.send(kit.actor('candidate1'), id, { content: 'mensaje antiguo sobre facturación' });
    await kit.dataSource.query('DROP TRIGGER trg_support_messages_fts_insert');
    await kit.dataSource.query('DROP TABLE support_messages_fts');
    const report = await checkAndCreateSupportChatTables(kit.dataSource, { log: () => undefined });
    expect(report.createdSearchObjects).toEqual(['support_messages_fts', 'trg_support_messages_fts_insert']);
    expect((await search.searchMessages(kit.actor('support1'), { q: 'facturacion' })).results).toHaveLength(1);
    // Kept in step by the insert trigger from then on, and never indexed twice.
    await messages.send(kit.actor('candidate1'), id, { content: 'otra factura' });
    expect(await kit.dataSource.query('SELECT COUNT(*) AS n FROM support_messages_fts')).toEqual([{ n: 2 }]);
    expect((await checkAndCreateSupportChatTables(kit.dataSource, { log: () => undefined })).createdSearchObjects).toBeUndefined();
  });

  it("indexes each message under its candidate's scope token (staff-only entries under none), so FTS5 alone keeps candidates apart", async () => {
    const carla = kit.actor('candidate1');
    const { id: own } = await conversations.create(carla, {});
    await messages.send(carla, own, { content: 'duda sobre el certificado' });
    const { id: other } = await conversations.create(kit.actor('candidate2'), {});
    await messages.send(kit.actor('candidate2'), other, { content: 'mi certificado no llega' });
    await kit.dataSource.query(
      `INSERT INTO support_messages (id, conversation_id, seq, client_message_id, sender_user_id, content, message_type, created_at)
       VALUES ('00000000-0000-4000-8000-0000000000ac', ?, 2, '00000000-0000-4000-8000-0000000000ad', ?, 'nota: certificado pendiente', 'note', datetime('now'))`,
      [own, kit.actor('support1').id],
    );
    const scopes = (await kit.dataSource.query('SELECT content, scope FROM support_messages_fts ORDER BY rowid')) as { content: string; scope: string }[];
    expect(scopes).toEqual([
      { content: 'duda sobre el certificado', scope: fts5ScopeToken(carla.id) },
      { content: 'mi certificado no llega', scope: fts5ScopeToken(kit.actor('candidate2').id) },
      { content: 'nota: certificado pendiente', scope: '' },
    ]);
    // The MATCH alone (without the SQL conversation filter) finds only the candidate's own visible message.
    const matched = (await kit.dataSource.query('SELECT message_id FROM support_messages_fts WHERE support_messages_fts MATCH ?', [
      fts5MatchExpression(['certificado'], carla.id),
    ])) as { message_id: string }[];
    expect(matched).toHaveLength(1);
    // A staff search never matches the scope tokens themselves.
    expect((await search.searchMessages(kit.actor('support1'), { q: fts5ScopeToken(carla.id).slice(0, 8) })).results).toEqual([]);
  });

  it('the start-up check rebuilds an index of an older definition (no scope column, no prefix index)', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    await messages.send(kit.actor('candidate1'), id, { content: 'mensaje antiguo sobre facturación' });
    await kit.dataSource.query('DROP TRIGGER trg_support_messages_fts_insert');
    await kit.dataSource.query('DROP TABLE support_messages_fts');
    await kit.dataSource.query(
      `CREATE VIRTUAL TABLE "support_messages_fts" USING fts5(content, message_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')`,
    );
    await kit.dataSource.query(
      `CREATE TRIGGER "trg_support_messages_fts_insert" AFTER INSERT ON "support_messages" WHEN new."content" IS NOT NULL ` +
        `BEGIN INSERT INTO "support_messages_fts" ("content", "message_id") VALUES (new."content", new."id"); END`,
    );
    const report = await checkAndCreateSupportChatTables(kit.dataSource, { log: () => undefined });
    expect(report.createdSearchObjects).toEqual(['support_messages_fts', 'trg_support_messages_fts_insert']);
    const [stored] = (await kit.dataSource.query(`SELECT sql FROM sqlite_master WHERE name = 'support_messages_fts'`)) as { sql: string }[];
    expect(stored.sql).toBe(sqliteSearchDefinitions().table);
    expect((await search.searchMessages(kit.actor('candidate1'), { q: 'facturacion' })).results).toHaveLength(1);
    expect((await search.searchMessages(kit.actor('candidate2'), { q: 'facturacion' })).results).toHaveLength(0);
    expect((await checkAndCreateSupportChatTables(kit.dataSource, { log: () => undefined })).createdSearchObjects).toBeUndefined();
  });

  it('never searches the system lines', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    await conversations.updateStatus(kit.actor('support1'), id, 'resolved');
    expect((await search.searchMessages(kit.actor('support1'), { q: 'resuelta' })).results).toEqual([]);
  });

  it('a query without words is a 400 search_query_invalid', async () => {
    await expect(search.searchMessages(kit.actor('support1'), { q: ' "*" - ' })).rejects.toMatchObject({
      code: ChatErrorCode.SearchQueryInvalid,
      status: 400,
    });
  });

  it('no query text makes the engine fail: arbitrary strings either answer or are a 400 (fast-check)', async () => {
    const { id } = await conversations.create(kit.actor('candidate1'), {});
    await messages.send(kit.actor('candidate1'), id, { content: 'texto "con" comillas * y -signos NEAR(a b) col:valor ^inicio' });
    const syntax = fc.constantFrom(
      '"',
      '*',
      '-',
      '+',
      '(',
      ')',
      ':',
      '^',
      'NEAR',
      'AND',
      'OR',
      'NOT',
      ' ',
      "'",
      '\\',
      '%',
      '_',
      '!',
      '{',
      '}',
      'ñ',
      'é',
      '\u0000',
    );
    const query = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.array(syntax, { maxLength: 20 }).map((parts) => parts.join('')),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(query, fc.boolean(), async (q, asCandidate) => {
        try {
          const found = await search.searchMessages(kit.actor(asCandidate ? 'candidate1' : 'support1'), { q });
          expect(Array.isArray(found.results)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ChatError);
          expect((error as ChatError).code).toBe(ChatErrorCode.SearchQueryInvalid);
        }
      }),
      { numRuns: 300 },
    );
  });
});
