import { createHash } from 'node:crypto';
import { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, QueryBuilder, QueryRunner } from 'typeorm';

import { sqliteNumberParameters } from '../sqlite-integer-parameters';
import { queryPrepared } from './postgres-prepared';

type ColumnMetadata = EntityMetadata['columns'][number];

/** TypeORM's pattern for `:name` and `:...list` placeholders (every driver's `escapeQueryWithParameters`). */
const PLACEHOLDER = /:(\.\.\.)?([A-Za-z0-9_.]+)/g;

/** The SQL split at its placeholders, once per statement: `texts[i]` comes before `placeholders[i]`. */
interface SqlitePlaceholders {
  texts: string[];
  placeholders: { full: string; list: boolean; key: string }[];
  /** The SQL when every placeholder is one bound scalar (`?`). */
  allScalars: string;
}

/**
 * A statement written with TypeORM's query builder, turned into SQL once and then run many times with
 * new parameter values (named, `:name` and `:...list`, as in any query builder).
 *
 * Why: on the paths that every request takes (the signed-in user, a send, a poll of the inbox), TypeORM
 * spent more CPU building each statement (metadata walks, alias and property-name rewriting) and
 * turning its rows into entities than SQLite spent running it (CPU profiles in docs/performance-log.md,
 * third round), with several statements per request. The SQL still comes from the query builder, so it is each
 * dialect's own; the driver still binds the values; and the statement still goes through the query
 * runner, so TypeORM's logger and its before/after-query events see it as before (on PostgreSQL, a
 * statement compiled with `prepared` runs as a named prepared statement on the runner's connection, with the
 * same logging and events: `queryPrepared`). What it skips:
 * entity listeners and subscribers (`afterLoad`, `beforeInsert`, ...; the chat's entities have none),
 * and read replicas (it runs on the manager's connection, the master outside a transaction).
 */
export class CompiledQuery {
  private sql: string | undefined;
  private sqlite: SqlitePlaceholders | undefined;
  /** The prepared statement's text (the first one run) and name, once known (see `run`). */
  private prepared: { text: string; name: string } | null | undefined;

  /**
   * `prepared`: on PostgreSQL, run as a named prepared statement (`queryPrepared`), unless the statement
   * takes a list (`:...ids`, whose text changes with the list's length).
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly build: () => QueryBuilder<ObjectLiteral> | string,
    private readonly options: { prepared?: boolean } = {},
  ) {}

  /** The rows, with the raw column values the driver returned. */
  async rows<TRow = Record<string, unknown>>(parameters: ObjectLiteral, manager?: EntityManager): Promise<TRow[]> {
    return ((await this.run(parameters, manager)).records ?? []) as TRow[];
  }

  /** For INSERT, UPDATE and DELETE: the number of rows the statement changed. */
  async execute(parameters: ObjectLiteral, manager?: EntityManager): Promise<number> {
    return (await this.run(parameters, manager)).affected ?? 0;
  }

  /** The SQL with its `:named` placeholders (built on first use, when the entity metadata exists). */
  get query(): string {
    if (this.sql === undefined) {
      const built = this.build();
      if (typeof built === 'string') {
        this.sql = built;
      } else {
        // A value given while building would be frozen into every later run.
        const values = Object.keys(built.getParameters());
        if (values.length > 0) throw new Error(`A compiled query takes its values when it runs, not when it is built (got ${values.join(', ')})`);
        // The text execute() would run; without values, the driver leaves the placeholders as they are.
        this.sql = built.getQueryAndParameters()[0];
      }
    }
    return this.sql;
  }

  /**
   * The prepared statement to run `sql` as, or null. Its name is derived from its text (PostgreSQL keeps
   * 63 bytes of a name), so equal texts share one statement on a connection whichever cache compiled them,
   * and a name never stands for two texts. Only the first text is prepared: a run whose text differs (a
   * value given as a function, written into the SQL) goes unnamed.
   */
  private preparedFor(sql: string): { text: string; name: string } | null {
    if (this.prepared === undefined) {
      const prepares = this.options.prepared === true && this.dataSource.options.type === 'postgres' && !this.query.includes(':...');
      this.prepared = prepares ? { text: sql, name: `support_chat_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}` } : null;
    }
    return this.prepared?.text === sql ? this.prepared : null;
  }

  private async run(parameters: ObjectLiteral, manager: EntityManager = this.dataSource.manager): Promise<{ records?: unknown[]; affected?: number }> {
    const [sql, values] = this.sqliteSqlAndValues(parameters) ?? this.dataSource.driver.escapeQueryWithParameters(this.query, parameters);
    // As EntityManager.query() does: the manager's own runner inside a transaction, else one from the pool.
    const runner: QueryRunner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const prepared = this.preparedFor(sql);
      if (prepared) return await queryPrepared(runner, prepared.name, sql, values);
      return await runner.query(sql, values, true);
    } finally {
      if (runner !== manager.queryRunner) await runner.release();
    }
  }

  /**
   * What the SQLite driver's `escapeQueryWithParameters` returns (with `bindIntegerParametersOnSqlite` or
   * without), without parsing the SQL again on every run: the placeholders are found once per statement.
   * Only for the values whose handling is plain (strings, bigints, nulls, integers, lists); for any other
   * value (a `Date`, a boolean, a function, a fraction, a Buffer, `undefined`) `null`: the driver does it.
   */
  private sqliteSqlAndValues(parameters: ObjectLiteral): [string, unknown[]] | null {
    const numbers = sqliteNumberParameters(this.dataSource);
    if (numbers === null || !parameters) return null;
    const split = (this.sqlite ??= splitAtPlaceholders(this.query));
    const values: unknown[] = [];
    let sql: string | null = null;
    for (let index = 0; index < split.placeholders.length; index++) {
      const { full, list, key } = split.placeholders[index];
      let text: string | null = null;
      if (!Object.prototype.hasOwnProperty.call(parameters, key)) {
        text = full;
      } else {
        const value: unknown = parameters[key];
        if (list) {
          if (!Array.isArray(value)) return null;
          for (const item of value as unknown[]) values.push(item);
          text = value.map(() => '?').join(', ');
        } else if (typeof value === 'string' || typeof value === 'bigint' || value === null) {
          values.push(value);
        } else if (typeof value === 'number' && numbers === 'bind' && Number.isSafeInteger(value)) {
          values.push(BigInt(value));
        } else {
          return null;
        }
      }
      if (text !== null && sql === null) {
        // The first placeholder that is not a plain `?`: the text is built from here on.
        sql = split.texts[0];
        for (let before = 0; before < index; before++) sql += `?${split.texts[before + 1]}`;
      }
      if (sql !== null) sql += `${text ?? '?'}${split.texts[index + 1]}`;
    }
    return [sql ?? split.allScalars, values];
  }
}

function splitAtPlaceholders(sql: string): SqlitePlaceholders {
  const texts: string[] = [];
  const placeholders: SqlitePlaceholders['placeholders'] = [];
  let from = 0;
  for (const match of sql.matchAll(PLACEHOLDER)) {
    texts.push(sql.slice(from, match.index));
    placeholders.push({ full: match[0], list: match[1] !== undefined, key: match[2] });
    from = match.index + match[0].length;
  }
  texts.push(sql.slice(from));
  return { texts, placeholders, allScalars: texts.join('?') };
}

/**
 * Reads and writes entities with compiled statements, converting values exactly as TypeORM's own
 * reads and writes do (the driver's date and number handling, and the columns' transformers).
 *
 * TypeORM has no public API that hydrates an entity from a raw row with one driver call per column
 * (`RawSqlResultsToEntityTransformer` is internal too, and the query builder's `getMany` is what the
 * compiled path exists to skip). So this class, and only this class, uses `ColumnMetadata.setEntityValue`
 * and `Driver.prepareHydratedValue`: both are on exported TypeORM types, and the dialect suites
 * (`test/dialects/compiled-query.spec.ts`) compare its output with TypeORM's own reads on every dialect.
 */
export class EntityMapper<TEntity extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  /** Per alias: where each column's value is in the row, and how it becomes the entity's value. */
  private readonly readers = new Map<string, ColumnReader[]>();

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<TEntity>,
  ) {
    this.metadata = dataSource.getMetadata(target);
  }

  /**
   * The entity from a row selected with the query builder's entity selection (`createQueryBuilder(Entity,
   * alias)` without `.select()`), whose columns are named `<alias>_<column>`. TypeORM shortens names past
   * the dialect's limit (63 characters on PostgreSQL), so alias and column must stay within it.
   */
  fromRow(row: Record<string, unknown>, alias: string): TEntity {
    const readers = this.readers.get(alias) ?? this.compileReaders(alias);
    const entity = this.metadata.create() as Record<string, unknown>;
    for (let index = 0; index < readers.length; index++) {
      const reader = readers[index];
      const raw = row[reader.key];
      const value = reader.convert === null ? raw : reader.convert(raw);
      if (reader.direct) entity[reader.property] = value;
      else reader.column.setEntityValue(entity, value);
    }
    return entity as TEntity;
  }

  /**
   * Worked out once per alias (the metadata and the driver do not change): the row key, and the
   * driver's conversion of the column, with the cases that are plain on SQLite taken out of the call.
   */
  private compileReaders(alias: string): ColumnReader[] {
    const driver = this.dataSource.driver;
    const sqlite = this.dataSource.options.type === 'better-sqlite3';
    const readers = this.metadata.columns.map((column): ColumnReader => {
      const viaDriver = (raw: unknown): unknown => driver.prepareHydratedValue(raw, column) as unknown;
      let convert: ColumnReader['convert'] = viaDriver;
      if (sqlite && !column.transformer) {
        if (SQLITE_UNCONVERTED_TYPES.has(column.type)) convert = null;
        else if (column.type === Date || column.type === 'datetime') convert = (raw) => sqliteDate(raw) ?? viaDriver(raw);
      }
      return {
        key: `${alias}_${column.databaseName}`,
        property: column.propertyName,
        column,
        convert,
        // What `ColumnMetadata.setEntityValue` does for a column outside embeddeds that is not a relation's virtual id.
        direct:
          !column.embeddedMetadata &&
          !(!column.entityMetadata.isJunction && column.isVirtual && column.referencedColumn && column.referencedColumn.propertyName !== column.propertyName),
      };
    });
    this.readers.set(alias, readers);
    return readers;
  }

  /** A value as the driver stores it in the column of `property` (e.g. a `Date` as SQLite's text form). */
  toColumnValue(property: keyof TEntity & string, value: unknown): unknown {
    const column = this.metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${this.metadata.name} has no column for "${property}"`);
    return this.dataSource.driver.preparePersistentValue(value, column);
  }

  /** A raw value read from the column of `property` as the entity holds it (e.g. a `Date`). */
  dateOf(property: keyof TEntity & string, raw: unknown): Date {
    const column = this.metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${this.metadata.name} has no column for "${property}"`);
    return this.dataSource.driver.prepareHydratedValue(raw, column) as Date;
  }

  /** The `:property` values of `insertAllColumns` for one entity (the chat assigns its own ids and timestamps). */
  insertParameters(entity: TEntity): ObjectLiteral {
    const values: ObjectLiteral = {};
    for (const column of this.metadata.columns) {
      values[column.propertyName] = (this.dataSource.driver.preparePersistentValue(column.getEntityValue(entity), column) as unknown) ?? null;
    }
    return values;
  }
}

/** An INSERT of every column of `target`, each bound to `:propertyName` (see `EntityMapper.insertParameters`). */
export function insertAllColumns(dataSource: DataSource, target: EntityTarget<ObjectLiteral>): QueryBuilder<ObjectLiteral> {
  const metadata = dataSource.getMetadata(target);
  return dataSource
    .createQueryBuilder()
    .insert()
    .into(metadata.target)
    .values(Object.fromEntries(metadata.columns.map((column) => [column.propertyName, () => `:${column.propertyName}`])));
}

interface ColumnReader {
  key: string;
  property: string;
  column: ColumnMetadata;
  /** `null`: the raw value is the entity's value. */
  convert: ((raw: unknown) => unknown) | null;
  direct: boolean;
}

/**
 * Column types the SQLite driver's `prepareHydratedValue` returns unchanged (it converts booleans, dates,
 * times, JSON, simple arrays and enums, and `Number`-typed columns; a transformer is applied after).
 */
const SQLITE_UNCONVERTED_TYPES = new Set<ColumnMetadata['type']>([String, 'varchar', 'text', 'character varying', 'nvarchar', 'int', 'integer', 'bigint']);

/**
 * The `Date` the SQLite driver makes of a value in the form TypeORM writes (`DateUtils.mixedDateToUtcDatetimeString`,
 * `YYYY-MM-DD HH:MM:SS.mmm` in UTC: the driver turns the space into a `T`, adds `Z` and parses it), else
 * `undefined`, and the driver handles the value. Read digit by digit: parsing the text was most of a
 * history page's mapping. Whatever `Date.UTC` would read differently from the parser (years before 100,
 * fields out of range, e.g. 31 February) is left to the driver.
 */
function sqliteDate(raw: unknown): Date | undefined {
  if (typeof raw !== 'string' || raw.length !== 23) return undefined;
  const year = digits(raw, 0, 4);
  const month = digits(raw, 5, 2);
  const day = digits(raw, 8, 2);
  const hours = digits(raw, 11, 2);
  const minutes = digits(raw, 14, 2);
  const seconds = digits(raw, 17, 2);
  const milliseconds = digits(raw, 20, 3);
  if (
    raw[4] !== '-' ||
    raw[7] !== '-' ||
    raw[10] !== ' ' ||
    raw[13] !== ':' ||
    raw[16] !== ':' ||
    raw[19] !== '.' ||
    year < 100 ||
    hours > 23 ||
    minutes > 59 ||
    seconds > 59 ||
    // `digits` gives -1 for a non-digit: every field below is then out of range too.
    Math.min(month, day, milliseconds) < 0
  ) {
    return undefined;
  }
  const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds, milliseconds));
  // Date.UTC rolls over (month 13, day 31 of a short month) where the parser gives an invalid date.
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

/** The number written with `length` decimal digits at `start`, or -1 if one of them is not a digit. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let index = start; index < start + length; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
