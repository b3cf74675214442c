import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

import { COMMIT_GATHER_MS, GroupCommitQueue, MAX_UNITS_PER_COMMIT } from './chat-transactions';

describe('GroupCommitQueue (SQLite group commit)', () => {
  let dir: string;
  let dataSource: DataSource;
  let commits: number;
  let savepoints: number;

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
          if (/^SAVEPOINT/i.test(query)) savepoints++;
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
    savepoints = 0;
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

  it('runs a lone unit, and a group none of whose units throws, without a SAVEPOINT', async () => {
    const queue = new GroupCommitQueue(dataSource, { gatherMs: 0 });
    await insert(queue, 'a');
    await Promise.all([insert(queue, 'b'), insert(queue, 'c'), insert(queue, 'd')]);
    expect(savepoints).toBe(0);
    expect(commits).toBe(2);
  });

  it('runs a group again with a SAVEPOINT per unit when one of its units throws; only the last run counts', async () => {
    const queue = new GroupCommitQueue(dataSource, { gatherMs: 0 });
    const runs: string[] = [];
    const counted = (v: string) =>
      queue.run(async (manager) => {
        runs.push(v);
        await manager.query('INSERT INTO t (v) VALUES (?)', [v]);
        // What the unit saw in its run: the rows of the units before it in this group, not those of a run rolled back.
        return ((await manager.query('SELECT COUNT(*) AS n FROM t')) as { n: number }[])[0].n;
      });
    const outcomes = await Promise.allSettled([
      counted('a'),
      queue.run(async (manager) => {
        runs.push('fails');
        await manager.query('INSERT INTO t (v) VALUES (?)', ['x']);
        throw new Error('business rule');
      }),
      counted('b'),
    ]);
    expect(runs).toEqual(['a', 'fails', 'a', 'fails', 'b']);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: new Error('business rule') },
      { status: 'fulfilled', value: 2 },
    ]);
    expect(savepoints).toBe(3);
    expect(commits).toBe(1);
    const rows = (await dataSource.query('SELECT v FROM t ORDER BY id')) as { v: string }[];
    expect(rows.map((row) => row.v)).toEqual(['a', 'b']);
  });

  it('rolls back a lone unit that fails and rejects it with its own error, only once the rollback is done', async () => {
    const queue = new GroupCommitQueue(dataSource, { gatherMs: 0 });
    await insert(queue, 'a');
    const failing = queue.run(async (manager) => {
      await manager.query('INSERT INTO t (v) VALUES (?)', ['b']);
      throw new Error('business rule');
    });
    // What the caller reads when it learns of the failure (a send re-reads after a unique violation).
    const seenOnFailure = failing.catch(async (error: unknown) => ({
      error,
      rows: (await dataSource.query('SELECT v FROM t ORDER BY id')) as { v: string }[],
    }));
    const { error, rows } = (await seenOnFailure) as { error: unknown; rows: { v: string }[] };
    expect(error).toEqual(new Error('business rule'));
    expect(rows.map((row) => row.v)).toEqual(['a']);
    expect(savepoints).toBe(0);
    await expect(insert(queue, 'a')).rejects.toThrow(/UNIQUE/);
    await expect(insert(queue, 'c')).resolves.toBe('c');
    const after = (await dataSource.query('SELECT v FROM t ORDER BY id')) as { v: string }[];
    expect(after.map((row) => row.v)).toEqual(['a', 'c']);
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

  describe('waiting for company under concurrent sends', () => {
    /** A queue whose waits are recorded and released by the test, on a clock the test moves. */
    const controlled = () => {
      const waits: number[] = [];
      const release: (() => void)[] = [];
      let clock = 1_000;
      const queue = new GroupCommitQueue(dataSource, {
        sleep: (ms) => {
          waits.push(ms);
          return new Promise<void>((resolve) => release.push(resolve));
        },
        now: () => clock,
      });
      return { queue, waits, release: () => release.shift()!(), advance: (ms: number) => (clock += ms) };
    };
    const waitingStarted = async (waits: number[], count: number) => {
      for (let turn = 0; turn < 100 && waits.length < count; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(waits).toHaveLength(count);
    };

    it('never waits for a lone unit, nor for one sender sending message after message', async () => {
      const { queue, waits } = controlled();
      for (let i = 0; i < 5; i++) await insert(queue, `v${i}`);
      expect(waits).toEqual([]);
      expect(commits).toBe(5);
    });

    it('after a group of several units, waits up to 2 ms before the next group and takes in what arrived meanwhile', async () => {
      const { queue, waits, release } = controlled();
      await Promise.all([insert(queue, 'a'), insert(queue, 'b'), insert(queue, 'c')]);
      expect(commits).toBe(1);

      const settled: string[] = [];
      const later = [insert(queue, 'd'), insert(queue, 'e')].map((unit) => unit.then((v) => (settled.push(v), v)));
      await waitingStarted(waits, 1);
      expect(waits).toEqual([COMMIT_GATHER_MS]);
      // Two of the three units the previous group carried: still waiting, nothing committed.
      await new Promise((resolve) => setImmediate(resolve));
      expect(commits).toBe(1);
      expect(settled).toEqual([]);
      release(); // the gather window is over
      expect(await Promise.all(later)).toEqual(['d', 'e']);
      expect(commits).toBe(2); // d and e shared one commit
      const rows = (await dataSource.query('SELECT v FROM t ORDER BY id')) as { v: string }[];
      expect(rows.map((row) => row.v)).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    it('fails the units of a group whose transaction cannot even start, and goes on with the next', async () => {
      const queue = new GroupCommitQueue(dataSource, { gatherMs: 0 });
      const createQueryRunner = jest.spyOn(dataSource, 'createQueryRunner').mockImplementationOnce(() => {
        throw new Error('no connection');
      });
      await expect(insert(queue, 'a')).rejects.toThrow('no connection');
      createQueryRunner.mockRestore();
      await expect(insert(queue, 'b')).resolves.toBe('b');
      const rows = (await dataSource.query('SELECT v FROM t ORDER BY id')) as { v: string }[];
      expect(rows.map((row) => row.v)).toEqual(['b']);
    });

    it('stops waiting as soon as as many units as the previous group carried have queued', async () => {
      const { queue, waits } = controlled();
      await Promise.all([insert(queue, 'a'), insert(queue, 'b'), insert(queue, 'c')]);
      const first = insert(queue, 'd');
      await waitingStarted(waits, 1);
      // The test never releases the wait: the third unit ends it.
      expect(await Promise.all([first, insert(queue, 'e'), insert(queue, 'f')])).toEqual(['d', 'e', 'f']);
      expect(commits).toBe(2);
    });

    it('does not wait once the sends have stopped for a while', async () => {
      const { queue, waits, advance } = controlled();
      await Promise.all([insert(queue, 'a'), insert(queue, 'b')]);
      advance(11);
      await insert(queue, 'c');
      expect(waits).toEqual([]);
      expect(commits).toBe(2);
    });

    it('does not wait when as many units as the previous group carried are already queued', async () => {
      const { queue, waits } = controlled();
      await Promise.all([insert(queue, 'a'), insert(queue, 'b')]);
      await Promise.all([insert(queue, 'c'), insert(queue, 'd'), insert(queue, 'e')]);
      await Promise.all(Array.from({ length: MAX_UNITS_PER_COMMIT }, (_, i) => insert(queue, `v${i}`)));
      expect(waits).toEqual([]);
    });

    it('can be turned off', async () => {
      const waits: number[] = [];
      const queue = new GroupCommitQueue(dataSource, { gatherMs: 0, sleep: async (ms) => void waits.push(ms) });
      await Promise.all([insert(queue, 'a'), insert(queue, 'b')]);
      await insert(queue, 'c');
      expect(waits).toEqual([]);
    });
  });
});
