import BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';

import { bindIntegerParametersOnSqlite } from './sqlite-integer-parameters';

describe('bindIntegerParametersOnSqlite', () => {
  let dataSource: DataSource;
  const statements: string[] = [];

  beforeAll(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      driver: BetterSqlite3,
      database: ':memory:',
      logging: true,
      logger: { logQuery: (sql: string) => void statements.push(sql), logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {} },
    });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE t (n integer NOT NULL)');
    await dataSource.query('INSERT INTO t (n) VALUES (1), (2), (3), (4)');
  });
  afterAll(() => dataSource.destroy());

  const above = (n: number) =>
    dataSource.createQueryBuilder().select('COUNT(*)', 'count').addSelect(':n / 2', 'half').from('t', 't').where('t.n > :n', { n }).getRawOne();

  it('TypeORM alone writes each number into the SQL: one statement text per value', async () => {
    statements.length = 0;
    await above(1);
    await above(2);
    expect(statements[0]).not.toBe(statements[1]);
  });

  it('binds integers instead: one statement for every value, with integer semantics and the same results', async () => {
    const before = [await above(1), await above(3)];
    expect(bindIntegerParametersOnSqlite(dataSource)).toBe(true);
    expect(bindIntegerParametersOnSqlite(dataSource)).toBe(true); // idempotent
    statements.length = 0;
    const after = [await above(1), await above(3)];
    expect(statements[0]).toBe(statements[1]);
    expect(statements[0]).toContain('WHERE t.n > ?');
    // 3 / 2 = 1 as with the literal (a REAL would give 1.5).
    expect(after).toEqual(before);
    expect(after[1]).toEqual({ count: 1, half: 1 });
    // Other values are untouched.
    expect(await dataSource.createQueryBuilder().select(':x', 'x').from('t', 't').setParameter('x', 1.5).limit(1).getRawOne()).toEqual({ x: 1.5 });
  });
});
