import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

import { GroupCommitQueue, MAX_UNITS_PER_COMMIT } from './chat-transactions';

describe('GroupCommitQueue (SQLite group commit)', () => {
  let dir: string;
  let dataSource: DataSource;
  let commits: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
    commits = 0;
    dataSource = new DataSource({
      type: 'better-sqlite3',
      driver: BetterSqlite3,
      database: join(dir, 'db.sqlite'),
      enableWAL: true,
      logger: {
        logQuery: (query: string) => {
          if (/^COMMIT/i.test(query)) commits++;
        },
        logQueryError: () => undefined,
        logQuerySlow: () => undefined,
        logSchemaBuild: () => undefined,
        logMigration: () => undefined,
        log: () => undefined,
      },
    });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
    commits = 0;
  });

  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (queue: GroupCommitQueue, v: string) =>
    queue.run(async (manager) => {
      await manager.query('INSERT INTO t (v) VALUES (?)', [v]);
      return v;
    });

  it('runs units in arrival order and shares commits between the units that queued up', async () => {
    const queue = new GroupCommitQueue(dataSource);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => insert(queue, `v${i}`)));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`));
    const rows = (await dataSource.query('SELECT v FROM t ORDER BY id')) as { v: string }[];
    expect(rows.map((row) => row.v)).toEqual(results);
    // All 50 queued before the group started: one commit.
    expect(commits).toBe(1);
  });

  it('groups units that arrive from separate event-loop callbacks (as concurrent HTTP requests do)', async () => {
    const queue = new GroupCommitQueue(dataSource);
    // Node runs the microtasks between two callbacks: a group started at once would run and commit
    // there, before the next callback could add its unit.
    const results = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) =>
          new Promise<string>((resolve, reject) =>
            setImmediate(() => {
              insert(queue, `v${i}`).then(resolve, reject);
            }),
          ),
      ),
    );
    expect(results).toHaveLength(10);
    expect(commits).toBe(1);
  });

  it('rolls back only the unit that failed, with its own error; the others commit', async () => {
    const queue = new GroupCommitQueue(dataSource);
    const outcomes = await Promise.allSettled([
      insert(queue, 'a'),
      insert(queue, 'b'),
      insert(queue, 'a'),
      queue.run(async (manager) => {
        await manager.query('INSERT INTO t (v) VALUES (?)', ['c']);
        throw new Error('business rule');
      }),
      insert(queue, 'd'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect((outcomes[3] as PromiseRejectedResult).reason).toEqual(new Error('business rule'));
    const rows = (await dataSource.query('SELECT v FROM t ORDER BY id')) as { v: string }[];
    expect(rows.map((row) => row.v)).toEqual(['a', 'b', 'd']);
  });

  it('settles a unit only after the COMMIT that contains it', async () => {
    const queue = new GroupCommitQueue(dataSource);
    const seen: string[] = [];
    await Promise.all([
      insert(queue, 'x').then(() => seen.push(`x after ${commits} commit(s)`)),
      insert(queue, 'y').then(() => seen.push(`y after ${commits} commit(s)`)),
    ]);
    expect(seen).toEqual(['x after 1 commit(s)', 'y after 1 commit(s)']);
    await insert(queue, 'z').then(() => seen.push(`z after ${commits} commit(s)`));
    expect(seen[2]).toBe('z after 2 commit(s)');
  });

  it('caps the size of a group', async () => {
    const queue = new GroupCommitQueue(dataSource);
    await Promise.all(Array.from({ length: MAX_UNITS_PER_COMMIT * 2 + 1 }, (_, i) => insert(queue, `v${i}`)));
    expect(commits).toBeGreaterThanOrEqual(3);
    expect(((await dataSource.query('SELECT COUNT(*) AS n FROM t')) as { n: number }[])[0].n).toBe(MAX_UNITS_PER_COMMIT * 2 + 1);
  });
});
