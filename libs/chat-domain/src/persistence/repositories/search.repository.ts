import { Injectable } from '@nestjs/common';

import {
  booleanModeExpression,
  containsExpression,
  fts5MatchExpression,
  likeFallbackPattern,
  searchableMessageTypes,
  tsqueryExpression,
} from '../../domain/message-search';
import { SupportMessageEntity } from '../entities';
import { mssqlHasMessageFullText, MESSAGE_SEARCH_OBJECTS } from '../schema/message-search-index';
import { ChatStatements } from './chat-statements';
import { defineStatement } from './statement-cache';

/**
 * PostgreSQL, staff searches: how many of the newest messages are looked at first (a common word's page
 * is found there; a rarer one goes to the GIN index).
 */
const POSTGRES_RECENT_WINDOW = 1000;

/** Whose messages a search looks at: a candidate's own conversations without staff-only entries, or all. */
export type SearchAudience = 'candidate' | 'staff';
/** The engine: the database's full-text index, or SQL Server's LIKE fallback where full-text search is not installed. */
type SearchEngine = 'native' | 'like';
type SearchShape = { audience: SearchAudience; engine: SearchEngine };

/** The message types a shape may return, as SQL literals (constants of the code, never user input). */
function typeList(audience: SearchAudience): string {
  return searchableMessageTypes(audience)
    .map((type) => `'${type}'`)
    .join(', ');
}

export const SEARCH_STATEMENTS = {
  /**
   * The newest messages matching `:match` (the dialect's query, written by `domain/message-search.ts`
   * from plain words only), newest first: ids only. Every dialect answers from its full-text index.
   */
  matchingMessages: defineStatement<SearchShape>({
    name: 'SearchRepository.matchingMessages',
    shapes: [
      { audience: 'staff', engine: 'native' },
      { audience: 'candidate', engine: 'native' },
      { audience: 'staff', engine: 'like' },
      { audience: 'candidate', engine: 'like' },
    ],
    build: (dataSource, { audience, engine }) => {
      const type = dataSource.options.type;
      const types = `m.message_type IN (${typeList(audience)})`;
      const mine = audience === 'candidate' ? ' AND m.conversation_id IN (SELECT c.id FROM support_conversations c WHERE c.candidate_user_id = :actorId)' : '';
      if (engine === 'like' && type !== 'mssql') throw new Error('the LIKE fallback is for SQL Server without full-text search only');
      switch (type) {
        case 'better-sqlite3': {
          const fts = MESSAGE_SEARCH_OBJECTS.sqliteTable;
          // FTS5 returns rows by its rowid, which grows with each insert: newest first without a sort, and
          // the LIMIT stops the walk early. A candidate's MATCH also names their scope token (the index
          // answers it); the conversation filter below stays as a second guard.
          return (
            `SELECT m.id AS id, m.conversation_id AS conversation_id FROM ${fts} INNER JOIN support_messages m ON m.id = ${fts}.message_id ` +
            `WHERE ${fts} MATCH :match AND ${types}${mine} ORDER BY ${fts}.rowid DESC LIMIT :limit`
          );
        }
        case 'postgres': {
          const { postgresFunction: fold, postgresColumn: vector } = MESSAGE_SEARCH_OBJECTS;
          // The stored column carries the GIN index (ix_support_messages_search). MATERIALIZED: every match
          // from the index, then sorted (never a newest-first walk of the whole table for a rare word).
          return (
            `WITH found AS MATERIALIZED (SELECT m.id, m.conversation_id, m.created_at FROM support_messages m ` +
            `WHERE m.${vector} @@ to_tsquery('spanish'::regconfig, ${fold}(:match)) AND ${types}${mine}) ` +
            `SELECT found.id AS id, found.conversation_id AS conversation_id FROM found ORDER BY found.created_at DESC, found.id DESC LIMIT :limit`
          );
        }
        case 'mysql':
        case 'mariadb':
          return (
            `SELECT m.id AS id, m.conversation_id AS conversation_id FROM support_messages m ` +
            `WHERE MATCH (m.content) AGAINST (:match IN BOOLEAN MODE) AND ${types}${mine} ORDER BY m.created_at DESC, m.id DESC LIMIT :limit`
          );
        case 'mssql': {
          const where = engine === 'native' ? 'CONTAINS (m.content, :match)' : "m.content COLLATE Latin1_General_100_CI_AI LIKE :match ESCAPE '!'";
          return (
            `SELECT m.id AS id, m.conversation_id AS conversation_id FROM support_messages m ` +
            `WHERE ${where} AND ${types}${mine} ORDER BY m.created_at DESC, m.id DESC OFFSET 0 ROWS FETCH NEXT :limit ROWS ONLY`
          );
        }
        default:
          throw new Error(`Message search is not written for ${type}`);
      }
    },
  }),
  /**
   * PostgreSQL, staff: the matches among the newest `:window` messages only (a btree walk of a bounded
   * number of rows, whatever the word), newest first. A common word fills the page from there; otherwise
   * `matchingMessages` answers from the GIN index. The LIMIT inside keeps the planner from turning this
   * into an unbounded walk (its estimates for prefix queries are poor).
   */
  recentMatchingMessages: defineStatement({
    name: 'SearchRepository.recentMatchingMessages',
    shapes: [{}],
    build: (dataSource) => {
      if (dataSource.options.type !== 'postgres') throw new Error('the recent-window search is for PostgreSQL only');
      const { postgresFunction: fold, postgresColumn: vector } = MESSAGE_SEARCH_OBJECTS;
      return (
        `SELECT w.id AS id, w.conversation_id AS conversation_id FROM (SELECT m.id, m.conversation_id, m.created_at, m.message_type, m.${vector} FROM support_messages m ` +
        `ORDER BY m.created_at DESC, m.id DESC LIMIT :window) w ` +
        `WHERE w.${vector} @@ to_tsquery('spanish'::regconfig, ${fold}(:match)) AND w.message_type IN (${typeList('staff')}) ORDER BY w.created_at DESC, w.id DESC LIMIT :limit`
      );
    },
  }),
  byIds: defineStatement({
    name: 'SearchRepository.messagesByIds',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportMessageEntity, 'm').where('m.id IN (:...ids)'),
  }),
};

/** Full-text search over the messages (the index: `persistence/schema/message-search-index.ts`). */
@Injectable()
export class SearchRepository {
  /** SQL Server only: whether the full-text index exists (checked once). */
  private mssqlFullText: Promise<boolean> | undefined;

  constructor(private readonly db: ChatStatements) {}

  /**
   * Ids of the newest `limit` messages containing every term (folded words, as `searchTerms()` gives
   * them), newest first; for a candidate only in their own conversations and never staff-only entries.
   */
  async matchingMessages(
    terms: readonly string[],
    scope: { audience: 'staff' } | { audience: 'candidate'; candidateUserId: string },
    limit: number,
  ): Promise<{ id: string; conversationId: string }[]> {
    if (terms.length === 0) return [];
    const engine = await this.engine();
    if (scope.audience === 'staff' && this.db.dataSource.options.type === 'postgres') {
      // A common word: its newest matches are among the newest messages (bounded work, no sort of every match).
      const recent = await this.db.cache.rows<{ id: string; conversation_id: string }>(
        SEARCH_STATEMENTS.recentMatchingMessages,
        {},
        { match: tsqueryExpression(terms), window: Math.max(POSTGRES_RECENT_WINDOW, limit), limit },
      );
      if (recent.length === limit) return recent.map((row) => ({ id: row.id, conversationId: row.conversation_id }));
    }
    const rows = await this.db.cache.rows<{ id: string; conversation_id: string }>(
      SEARCH_STATEMENTS.matchingMessages,
      { audience: scope.audience, engine },
      { match: this.matchExpression(terms, engine, scope), actorId: scope.audience === 'candidate' ? scope.candidateUserId : undefined, limit },
    );
    return rows.map((row) => ({ id: row.id, conversationId: row.conversation_id }));
  }

  async messagesByIds(ids: readonly string[]): Promise<SupportMessageEntity[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.cache.rows(SEARCH_STATEMENTS.byIds, {}, { ids });
    return rows.map((row) => this.db.messages.fromRow(row, 'm'));
  }

  private matchExpression(
    terms: readonly string[],
    engine: SearchEngine,
    scope: { audience: 'staff' } | { audience: 'candidate'; candidateUserId: string },
  ): string {
    switch (this.db.dataSource.options.type) {
      case 'better-sqlite3':
        return fts5MatchExpression(terms, scope.audience === 'candidate' ? scope.candidateUserId : undefined);
      case 'postgres':
        return tsqueryExpression(terms);
      case 'mssql':
        return engine === 'native' ? containsExpression(terms) : likeFallbackPattern(terms);
      default:
        return booleanModeExpression(terms);
    }
  }

  private async engine(): Promise<SearchEngine> {
    if (this.db.dataSource.options.type !== 'mssql') return 'native';
    this.mssqlFullText ??= (async () => {
      const runner = this.db.dataSource.createQueryRunner();
      try {
        return await mssqlHasMessageFullText(runner);
      } finally {
        await runner.release();
      }
    })();
    return (await this.mssqlFullText) ? 'native' : 'like';
  }
}
