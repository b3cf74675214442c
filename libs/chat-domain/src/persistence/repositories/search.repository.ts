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
 * PostgreSQL, staff searches (`matchingMessages`): how many of the newest messages are walked before the
 * GIN index is asked for every match (a test lowers it to reach both steps on a small table).
 */
export interface PostgresSearchTuning {
  readonly window: number;
}
export const POSTGRES_SEARCH_TUNING: PostgresSearchTuning = { window: 2000 };

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
          const matches = (row: string) =>
            `${row}.${vector} @@ to_tsquery('spanish'::regconfig, ${fold}(:match)) AND ${row}.message_type IN (${typeList(audience)})`;
          if (audience === 'candidate') {
            // A candidate's own conversations bound the work (their messages by conversation, then the
            // tsvector test); MATERIALIZED keeps the planner from a newest-first walk of every message.
            return (
              `WITH found AS MATERIALIZED (SELECT m.id, m.conversation_id, m.created_at FROM support_messages m WHERE ${matches('m')}${mine}) ` +
              `SELECT found.id AS id, found.conversation_id AS conversation_id FROM found ORDER BY found.created_at DESC, found.id DESC LIMIT :limit`
            );
          }
          // Staff: one statement, two steps; the second runs only when the first did not fill the page (a
          // condition on the first step alone is a one-time filter: otherwise the step is never executed).
          // 1. `recent`: the newest :window messages, walked newest first through ix_support_messages_search_recency;
          //    the walk stops as soon as :limit match (a common word stops after a few hundred rows).
          // 2. `found`: every match from the GIN index, sorted (a rarer word: few matches to sort). Not a
          //    LIMIT-ed GIN read instead: the planner then prefers a sequential scan for prefix queries.
          // A full walk holds exactly the newest :limit matches and step 2 holds them all, so the answer
          // is the same whichever step gives it. The cost left: a word with many matches but fewer than
          // :limit among the newest :window messages sorts all its matches (README "Search").
          const recentCount = '(SELECT count(*) FROM recent)';
          return (
            `WITH recent AS MATERIALIZED (SELECT w.id, w.conversation_id, w.created_at FROM (SELECT m.id, m.conversation_id, m.created_at, m.message_type, m.${vector} ` +
            `FROM support_messages m ORDER BY m.created_at DESC, m.id DESC LIMIT :window) w WHERE ${matches('w')} ORDER BY w.created_at DESC, w.id DESC LIMIT :limit), ` +
            `found AS MATERIALIZED (SELECT m.id, m.conversation_id, m.created_at FROM support_messages m WHERE ${matches('m')} AND ${recentCount} < :limit) ` +
            `SELECT r.id AS id, r.conversation_id AS conversation_id FROM (` +
            `SELECT recent.* FROM recent WHERE ${recentCount} = :limit UNION ALL SELECT found.* FROM found` +
            `) r ORDER BY r.created_at DESC, r.id DESC LIMIT :limit`
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

  /** The PostgreSQL staff steps' sizes (a test may lower them to reach each step on a small table). */
  postgresTuning: PostgresSearchTuning = POSTGRES_SEARCH_TUNING;

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
    const { window } = this.postgresTuning;
    const rows = await this.db.cache.rows<{ id: string; conversation_id: string }>(
      SEARCH_STATEMENTS.matchingMessages,
      { audience: scope.audience, engine },
      {
        match: this.matchExpression(terms, engine, scope),
        actorId: scope.audience === 'candidate' ? scope.candidateUserId : undefined,
        limit,
        // PostgreSQL staff searches only (the other statements do not name it).
        window: Math.max(window, limit),
      },
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
