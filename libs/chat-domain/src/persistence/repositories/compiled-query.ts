import { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, QueryBuilder, QueryRunner } from 'typeorm';

/**
 * A statement written with TypeORM's query builder, turned into SQL once and then run many times with
 * new parameter values (named, `:name` and `:...list`, as in any query builder).
 *
 * Why: on the paths that every request takes (the signed-in user, a send, a poll of the inbox), TypeORM
 * spent more CPU building each statement (metadata walks, alias and property-name rewriting) and
 * turning its rows into entities than SQLite spent running it (CPU profiles in docs/performance-log.md,
 * third round), with several statements per request. The SQL still comes from the query builder, so it is each
 * dialect's own; the driver still binds the values; and the statement still goes through the query
 * runner, so TypeORM's logger and its before/after-query events see it as before. What it skips:
 * entity listeners and subscribers (`afterLoad`, `beforeInsert`, ...; the chat's entities have none),
 * and read replicas (it runs on the manager's connection, the master outside a transaction).
 */
export class CompiledQuery {
  private sql: string | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly build: () => QueryBuilder<ObjectLiteral> | string,
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

  private async run(parameters: ObjectLiteral, manager: EntityManager = this.dataSource.manager): Promise<{ records?: unknown[]; affected?: number }> {
    const [sql, values] = this.dataSource.driver.escapeQueryWithParameters(this.query, parameters);
    // As EntityManager.query() does: the manager's own runner inside a transaction, else one from the pool.
    const runner: QueryRunner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      return await runner.query(sql, values, true);
    } finally {
      if (runner !== manager.queryRunner) await runner.release();
    }
  }
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
    const entity = this.metadata.create() as TEntity;
    const driver = this.dataSource.driver;
    for (const column of this.metadata.columns) {
      column.setEntityValue(entity, driver.prepareHydratedValue(row[`${alias}_${column.databaseName}`], column));
    }
    return entity;
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
