import { QueryRunner, Table } from 'typeorm';

/**
 * The tables among `names` that exist, inspected by TypeORM (columns, indexes, uniques, foreign keys)
 * in one `getTables()` call, keyed by their bare name.
 *
 * `getTable()` per table costs a round of catalogue queries each (columns, constraints, indexes, foreign
 * keys): with every chat table inspected that way, that was most of the start-up check on PostgreSQL and
 * MariaDB. `getTables()` runs the same inspection (`getTable()` is `getTables([name])`) for all of them at once.
 */
export async function getExistingTables(queryRunner: QueryRunner, names: readonly string[]): Promise<Map<string, Table>> {
  const driver = queryRunner.connection.driver;
  const tables = await queryRunner.getTables([...names]);
  // The bare name: a table outside the default schema or database comes back qualified.
  return new Map(tables.map((table) => [driver.parseTableName(table).tableName, table]));
}
