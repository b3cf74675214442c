import { QueryRunner } from 'typeorm';

import { STAFF_ONLY_MESSAGE_TYPES } from '../../domain/message-type';
import { SupportedDialect } from './dialect-column-types';

/**
 * Full-text search over `support_messages.content` (issue 16), with each database's own engine. The
 * index is kept in step by the database on every insert, whatever statement writes the row (the append
 * path, the legacy adoption, a host's own import), so no search ever scans the messages:
 *
 * - SQLite: the FTS5 table `support_messages_fts` (tokenizer `unicode61 remove_diacritics 2`: case and
 *   accents folded; prefix indexes for 2 and 3 letters), one row per message with text, filled by the
 *   trigger `trg_support_messages_fts_insert` in the inserting transaction. It keeps its own copy of the
 *   text, the message id (not the SQLite `rowid`, which a VACUUM or a table rebuild may renumber on a
 *   table without an INTEGER primary key) and a `scope` token: the conversation's candidate
 *   (`'u' || lower(hex(candidate_user_id))`), empty for staff-only entries, so that a candidate's search
 *   is one FTS5 intersection. Messages are never edited or deleted and a conversation's candidate never
 *   changes; an edit feature must add an UPDATE trigger.
 * - PostgreSQL: the column `support_messages.search_vector` = `to_tsvector('spanish', support_chat_search_fold(content))`,
 *   filled by the BEFORE INSERT/UPDATE trigger `trg_support_messages_search_vector` (computed once per
 *   write, so a recheck never recomputes it), with the GIN index `ix_support_messages_search` on it, and
 *   the btree `ix_support_messages_search_recency` (created_at, id) so that a common word's newest
 *   matches are read newest first rather than all sorted. `support_chat_search_fold` is an
 *   IMMUTABLE function: `unaccent` when the extension is installed or can be created, otherwise
 *   `lower()` + `translate()` of the Spanish and Western European accented letters (hosts whose
 *   database user may not create extensions). Search statements call it, so either works unchanged.
 * - MariaDB/MySQL: the InnoDB FULLTEXT index `ft_support_messages_content`; the column's collation
 *   (`utf8mb4_unicode_ci`) ignores accents and case.
 * - SQL Server: a full-text index on `content` (catalog `support_chat_catalog`, accent-insensitive,
 *   change tracking AUTO) when the server has full-text search (`SERVERPROPERTY('IsFullTextInstalled')`);
 *   otherwise nothing is created and searches fall back to `LIKE` with an accent-insensitive collation
 *   (a scan: see README "Search").
 *
 * Existing rows are indexed once when the index is created (the FTS5 table is filled in the same
 * transaction as its trigger is created; the other engines build from the table).
 */
export const MESSAGE_SEARCH_OBJECTS = {
  sqliteTable: 'support_messages_fts',
  sqliteTrigger: 'trg_support_messages_fts_insert',
  postgresFunction: 'support_chat_search_fold',
  postgresColumn: 'search_vector',
  postgresTriggerFunction: 'support_chat_fill_search_vector',
  postgresTrigger: 'trg_support_messages_search_vector',
  postgresIndex: 'ix_support_messages_search',
  postgresRecencyIndex: 'ix_support_messages_search_recency',
  mariadbIndex: 'ft_support_messages_content',
  mssqlCatalog: 'support_chat_catalog',
} as const;

/** Accented letters `translate()` folds when `unaccent` is not available (lower case first). */
const FOLD_FROM = 'áàâäãåéèêëíìîïóòôöõúùûüñçýÿ';
const FOLD_TO = 'aaaaaaeeeeiiiiooooouuuuncyy';

/** Creates whatever part of the search index is missing; returns what it created (for the log). */
export async function ensureMessageSearchIndex(queryRunner: QueryRunner, dialect: SupportedDialect): Promise<string[]> {
  switch (dialect) {
    case 'better-sqlite3':
      return ensureSqlite(queryRunner);
    case 'postgres':
      return ensurePostgres(queryRunner);
    case 'mysql':
    case 'mariadb':
      return ensureMariadb(queryRunner);
    case 'mssql':
      return ensureMssql(queryRunner);
  }
}

/** Staff-only message types as SQL literals (constants of the code). */
const STAFF_ONLY_TYPES_SQL = STAFF_ONLY_MESSAGE_TYPES.map((type) => `'${type}'`).join(', ');

/** The scope token of a message: its candidate's (see `fts5ScopeToken`), empty for staff-only entries. */
function sqliteScopeExpression(message: string, conversation: string): string {
  return `CASE WHEN ${message}."message_type" IN (${STAFF_ONLY_TYPES_SQL}) THEN '' ELSE 'u' || lower(hex(${conversation})) END`;
}

/**
 * The FTS5 table and its trigger, as stored in `sqlite_master` (the start-up check compares them, so an
 * older definition is rebuilt). `scope` holds the candidate's scope token; `prefix = '2 3'` keeps
 * prefix indexes for two- and three-letter words (search as you type).
 */
export function sqliteSearchDefinitions(): { table: string; trigger: string } {
  const { sqliteTable: table, sqliteTrigger: trigger } = MESSAGE_SEARCH_OBJECTS;
  const candidate = `(SELECT c."candidate_user_id" FROM "support_conversations" c WHERE c."id" = new."conversation_id")`;
  return {
    table: `CREATE VIRTUAL TABLE "${table}" USING fts5(content, scope, message_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`,
    trigger:
      `CREATE TRIGGER "${trigger}" AFTER INSERT ON "support_messages" WHEN new."content" IS NOT NULL ` +
      `BEGIN INSERT INTO "${table}" ("content", "scope", "message_id") VALUES (new."content", ${sqliteScopeExpression('new', candidate)}, new."id"); END`,
  };
}

async function ensureSqlite(queryRunner: QueryRunner): Promise<string[]> {
  const { sqliteTable: table, sqliteTrigger: trigger } = MESSAGE_SEARCH_OBJECTS;
  const wanted = sqliteSearchDefinitions();
  const existing = (await queryRunner.query(`SELECT name, sql FROM sqlite_master WHERE name IN ('${table}', '${trigger}')`)) as { name: string; sql: string }[];
  const current = (name: string) => existing.find((row) => row.name === name)?.sql;
  if (current(table) === wanted.table && current(trigger) === wanted.trigger) return [];
  const ownTransaction = !queryRunner.isTransactionActive;
  if (ownTransaction) await queryRunner.startTransaction();
  try {
    await queryRunner.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "${table}"`);
    await queryRunner.query(wanted.table);
    await queryRunner.query(wanted.trigger);
    // The rows already there, oldest first: the FTS rowid order is the newest-first order of results.
    await queryRunner.query(
      `INSERT INTO "${table}" ("content", "scope", "message_id") SELECT m."content", ${sqliteScopeExpression('m', 'c."candidate_user_id"')}, m."id" ` +
        `FROM "support_messages" m INNER JOIN "support_conversations" c ON c."id" = m."conversation_id" WHERE m."content" IS NOT NULL ORDER BY m."created_at", m."conversation_id", m."seq"`,
    );
    if (ownTransaction) await queryRunner.commitTransaction();
  } catch (error) {
    if (ownTransaction) await queryRunner.rollbackTransaction();
    throw error;
  }
  return [table, trigger];
}

async function ensurePostgres(queryRunner: QueryRunner): Promise<string[]> {
  const { postgresFunction: fold, postgresIndex: index } = MESSAGE_SEARCH_OBJECTS;
  const created: string[] = [];
  const [hasFunction] = (await queryRunner.query(`SELECT 1 FROM pg_proc WHERE proname = $1 AND pronamespace = current_schema()::regnamespace`, [
    fold,
  ])) as unknown[];
  if (!hasFunction) {
    const unaccentSchema = await postgresUnaccentSchema(queryRunner);
    const body = unaccentSchema
      ? `SELECT ${quoteIdent(unaccentSchema)}.unaccent('${unaccentSchema.replace(/'/g, "''")}.unaccent'::regdictionary, lower(coalesce($1, '')))`
      : `SELECT translate(lower(coalesce($1, '')), '${FOLD_FROM}', '${FOLD_TO}')`;
    await queryRunner.query(`CREATE OR REPLACE FUNCTION ${fold}(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fold$ ${body} $fold$`);
    created.push(`${fold}() (${unaccentSchema ? 'unaccent' : 'translate() fallback: the unaccent extension is not available'})`);
  }
  const { postgresColumn: column, postgresTriggerFunction: fillFunction, postgresTrigger: trigger, postgresRecencyIndex: recency } = MESSAGE_SEARCH_OBJECTS;
  const vector = (row: string) => `to_tsvector('spanish'::regconfig, ${fold}(${row}.content))`;
  const [hasColumn] = (await queryRunner.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'support_messages' AND column_name = $1`,
    [column],
  )) as unknown[];
  if (!hasColumn) {
    // A plain column, not `GENERATED ... STORED`: TypeORM's table inspection (the start-up legacy check)
    // fails on generated columns it did not create. The trigger below fills it on every insert.
    await queryRunner.query(`ALTER TABLE support_messages ADD COLUMN ${column} tsvector`);
    created.push(`support_messages.${column}`);
  }
  const [hasTrigger] = (await queryRunner.query(
    `SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = $1 AND c.relname = 'support_messages' AND c.relnamespace = current_schema()::regnamespace`,
    [trigger],
  )) as unknown[];
  if (!hasTrigger) {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION ${fillFunction}() RETURNS trigger LANGUAGE plpgsql AS $fill$ BEGIN NEW.${column} := ${vector('NEW')}; RETURN NEW; END $fill$`,
    );
    await queryRunner.query(`CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE OF content ON support_messages FOR EACH ROW EXECUTE FUNCTION ${fillFunction}()`);
    created.push(trigger);
  }
  // The rows written before the trigger existed (all of them, once; the trigger fills the rest).
  if (!hasTrigger) await queryRunner.query(`UPDATE support_messages m SET ${column} = ${vector('m')} WHERE m.${column} IS NULL AND m.content IS NOT NULL`);
  const [indexRow] = (await queryRunner.query(`SELECT indexdef FROM pg_indexes WHERE indexname = $1 AND schemaname = current_schema()`, [index])) as {
    indexdef: string;
  }[];
  // An index of the first version (over the expression, not the stored column) is replaced.
  const onColumn = indexRow?.indexdef.includes(`(${column})`) ?? false;
  if (indexRow && !onColumn) await queryRunner.query(`DROP INDEX ${index}`);
  if (!onColumn) {
    await queryRunner.query(`CREATE INDEX ${index} ON support_messages USING GIN (${column})`);
    created.push(index);
  }
  // Newest first: for a common word the planner walks this and stops at the LIMIT instead of sorting every match.
  const [hasRecency] = (await queryRunner.query(`SELECT 1 FROM pg_indexes WHERE indexname = $1 AND schemaname = current_schema()`, [recency])) as unknown[];
  if (!hasRecency) {
    await queryRunner.query(`CREATE INDEX ${recency} ON support_messages (created_at, id)`);
    created.push(recency);
  }
  return created;
}

/** The schema of the `unaccent` extension, creating it when allowed; null when it cannot be had. */
async function postgresUnaccentSchema(queryRunner: QueryRunner): Promise<string | null> {
  const find = async () =>
    (
      (await queryRunner.query(
        `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'`,
      )) as {
        schema: string;
      }[]
    )[0]?.schema ?? null;
  const existing = await find();
  if (existing) return existing;
  const [available] = (await queryRunner.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'`)) as unknown[];
  if (!available) return null;
  // A failed CREATE EXTENSION (no privilege) must not abort the caller's transaction.
  const inTransaction = queryRunner.isTransactionActive;
  if (inTransaction) await queryRunner.query('SAVEPOINT support_chat_unaccent');
  try {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    if (inTransaction) await queryRunner.query('RELEASE SAVEPOINT support_chat_unaccent');
  } catch {
    if (inTransaction) await queryRunner.query('ROLLBACK TO SAVEPOINT support_chat_unaccent');
    return null;
  }
  return find();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function ensureMariadb(queryRunner: QueryRunner): Promise<string[]> {
  const index = MESSAGE_SEARCH_OBJECTS.mariadbIndex;
  const [exists] = (await queryRunner.query(
    `SELECT 1 FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'support_messages' AND index_name = ?`,
    [index],
  )) as unknown[];
  if (exists) return [];
  await queryRunner.query(`ALTER TABLE support_messages ADD FULLTEXT INDEX ${index} (content)`);
  return [index];
}

async function ensureMssql(queryRunner: QueryRunner): Promise<string[]> {
  const [row] = ((await queryRunner.query(`SELECT CAST(SERVERPROPERTY('IsFullTextInstalled') AS int) AS installed`)) ?? []) as { installed: number | null }[];
  if (row?.installed !== 1) return [];
  // SQL Server refuses full-text DDL inside a user transaction: the start-up check (or a migration run
  // with `transaction: 'none'`) creates it; until then searches use the LIKE fallback.
  if (queryRunner.isTransactionActive) return [];
  const created: string[] = [];
  const catalog = MESSAGE_SEARCH_OBJECTS.mssqlCatalog;
  const [hasCatalog] = (await queryRunner.query(`SELECT 1 AS found FROM sys.fulltext_catalogs WHERE name = @0`, [catalog])) as unknown[];
  if (!hasCatalog) {
    await queryRunner.query(`CREATE FULLTEXT CATALOG ${catalog} WITH ACCENT_SENSITIVITY = OFF`);
    created.push(catalog);
  }
  const [hasIndex] = (await queryRunner.query(`SELECT 1 AS found FROM sys.fulltext_indexes WHERE object_id = OBJECT_ID('support_messages')`)) as unknown[];
  if (!hasIndex) {
    // 3082: Spanish (modern sort) word breaker and stemmer.
    await queryRunner.query(
      `CREATE FULLTEXT INDEX ON support_messages (content LANGUAGE 3082) KEY INDEX pk_support_messages ON ${catalog} WITH CHANGE_TRACKING AUTO, STOPLIST = SYSTEM`,
    );
    created.push('support_messages full-text index');
  }
  return created;
}

/** Whether searches on this SQL Server use the full-text index (else the LIKE fallback). */
export async function mssqlHasMessageFullText(queryRunner: QueryRunner): Promise<boolean> {
  const [row] = (await queryRunner.query(
    `SELECT CAST(SERVERPROPERTY('IsFullTextInstalled') AS int) AS installed, (SELECT COUNT(*) FROM sys.fulltext_indexes WHERE object_id = OBJECT_ID('support_messages')) AS indexes`,
  )) as { installed: number | null; indexes: number }[];
  return row?.installed === 1 && Number(row.indexes) > 0;
}

/** Drops the search index (the migration's `down`). */
export async function dropMessageSearchIndex(queryRunner: QueryRunner, dialect: SupportedDialect): Promise<void> {
  const objects = MESSAGE_SEARCH_OBJECTS;
  switch (dialect) {
    case 'better-sqlite3':
      await queryRunner.query(`DROP TRIGGER IF EXISTS "${objects.sqliteTrigger}"`);
      await queryRunner.query(`DROP TABLE IF EXISTS "${objects.sqliteTable}"`);
      return;
    case 'postgres':
      await queryRunner.query(`DROP INDEX IF EXISTS ${objects.postgresRecencyIndex}`);
      await queryRunner.query(`DROP INDEX IF EXISTS ${objects.postgresIndex}`);
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${objects.postgresTrigger} ON support_messages`);
      await queryRunner.query(`DROP FUNCTION IF EXISTS ${objects.postgresTriggerFunction}()`);
      await queryRunner.query(`ALTER TABLE support_messages DROP COLUMN IF EXISTS ${objects.postgresColumn}`);
      await queryRunner.query(`DROP FUNCTION IF EXISTS ${objects.postgresFunction}(text)`);
      return;
    case 'mysql':
    case 'mariadb': {
      const [exists] = (await queryRunner.query(
        `SELECT 1 FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'support_messages' AND index_name = ?`,
        [objects.mariadbIndex],
      )) as unknown[];
      if (exists) await queryRunner.query(`ALTER TABLE support_messages DROP INDEX ${objects.mariadbIndex}`);
      return;
    }
    case 'mssql':
      await queryRunner.query(
        `IF EXISTS (SELECT 1 FROM sys.fulltext_indexes WHERE object_id = OBJECT_ID('support_messages')) DROP FULLTEXT INDEX ON support_messages`,
      );
      await queryRunner.query(
        `IF EXISTS (SELECT 1 FROM sys.fulltext_catalogs WHERE name = '${objects.mssqlCatalog}') DROP FULLTEXT CATALOG ${objects.mssqlCatalog}`,
      );
      return;
  }
}
