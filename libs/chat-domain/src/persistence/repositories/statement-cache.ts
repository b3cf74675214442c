import { DataSource, EntityManager, ObjectLiteral, QueryBuilder } from 'typeorm';

import { CompiledQuery } from './compiled-query';

/** What changes a statement's SQL (a filter present or not, a page size): plain JSON values only. */
export type StatementShape = Readonly<Record<string, string | number | boolean | null>>;

/**
 * One statement of a repository method. `build` sees nothing but the data source and the shape, so the
 * SQL is a function of (statement, shape): the cache key is derived from exactly those two.
 * `shapes` lists every shape the method can ask for (the SQL snapshots are written from it).
 */
export interface StatementDefinition<TShape extends StatementShape = StatementShape> {
  /** `Repository.method` (or `Repository.method.part` for a method with several statements). */
  readonly name: string;
  readonly shapes: readonly TShape[];
  build(dataSource: DataSource, shape: TShape): QueryBuilder<ObjectLiteral> | string;
}

export function defineStatement<TShape extends StatementShape = StatementShape>(definition: StatementDefinition<TShape>): StatementDefinition<TShape> {
  return definition;
}

/** The shape as a stable string: keys sorted, so `{ a, b }` and `{ b, a }` are one shape. */
export function shapeKey(shape: StatementShape): string {
  return JSON.stringify(
    Object.keys(shape)
      .sort()
      .map((key) => [key, shape[key]]),
  );
}

/**
 * The compiled statements of one data source (private to the repositories). Keyed by the definition
 * object itself and the shape's canonical form: no caller names a key, so two shapes (or two methods)
 * can never run each other's SQL. The least recently used shapes are dropped beyond `MAX_SHAPES`, so a
 * client paging deep into the inbox cannot push out the statements every request uses.
 */
export class StatementCache {
  static readonly MAX_SHAPES = 500;
  private readonly byKey = new Map<string, { definition: StatementDefinition<never>; compiled: CompiledQuery }>();

  /**
   * `preparedStatements`: on PostgreSQL, each shape a definition lists in `shapes` runs as a named prepared
   * statement, so each connection holds at most one per listed shape; any other shape (an inbox page at
   * some offset) runs unnamed.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: { preparedStatements: boolean } = { preparedStatements: false },
  ) {}

  get<TShape extends StatementShape>(definition: StatementDefinition<TShape>, shape: TShape): CompiledQuery {
    const canonical = shapeKey(shape);
    const key = `${definition.name}(${canonical})`;
    let entry = this.byKey.get(key);
    if (entry && entry.definition !== (definition as unknown)) {
      // Two definitions with one name would share statements: refuse instead of running the wrong SQL.
      throw new Error(`Two statements are named ${definition.name}`);
    }
    if (entry) {
      // A Map keeps insertion order: moved to the end, the first key is always the least recently used.
      this.byKey.delete(key);
    } else {
      const prepared = this.options.preparedStatements && definition.shapes.some((listed) => shapeKey(listed) === canonical);
      entry = {
        definition: definition as StatementDefinition<never>,
        compiled: new CompiledQuery(this.dataSource, () => definition.build(this.dataSource, shape), { prepared }),
      };
      if (this.byKey.size >= StatementCache.MAX_SHAPES) this.byKey.delete(this.byKey.keys().next().value!);
    }
    this.byKey.set(key, entry);
    return entry.compiled;
  }

  rows<TRow = Record<string, unknown>, TShape extends StatementShape = StatementShape>(
    definition: StatementDefinition<TShape>,
    shape: TShape,
    parameters: ObjectLiteral,
    manager?: EntityManager,
  ): Promise<TRow[]> {
    return this.get(definition, shape).rows<TRow>(parameters, manager);
  }

  execute<TShape extends StatementShape>(
    definition: StatementDefinition<TShape>,
    shape: TShape,
    parameters: ObjectLiteral,
    manager?: EntityManager,
  ): Promise<number> {
    return this.get(definition, shape).execute(parameters, manager);
  }
}
