import BetterSqlite3 from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

import { BACKSTOP_AUTOCHECKPOINT_PAGES, CheckpointResult, WalCheckpointWorker } from './sqlite-checkpoints';

describe('WalCheckpointWorker (SQLite checkpoints off the event loop)', () => {
  let dir: string;
  let dataSource: DataSource;
  let worker: WalCheckpointWorker | null = null;
  const logger = { warn: jest.fn() };

  const open = async (database: string, enableWAL = true) => {
    const source = new DataSource({ type: 'better-sqlite3', driver: BetterSqlite3, database, enableWAL });
    await source.initialize();
    return source;
  };
  const pragma = (name: string) => dataSource.query(`PRAGMA ${name}`).then((rows: Record<string, unknown>[]) => Object.values(rows[0])[0]);
  /** Rows of `t` in a copy of the main file alone; 0 when the copy caught a checkpoint mid-write. */
  const countRowsInMainFileOnly = (): number => {
    copyFileSync(join(dir, 'db.sqlite'), join(dir, 'main-only.sqlite'));
    const mainOnly = new BetterSqlite3(join(dir, 'main-only.sqlite'), { readonly: true });
    try {
      return (mainOnly.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;
    } catch {
      return 0;
    } finally {
      mainOnly.close();
    }
  };
  const nextCheckpoint = (which: WalCheckpointWorker) => new Promise<CheckpointResult>((resolve) => which.once('checkpoint', resolve));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wal-checkpoints-'));
    dataSource = await open(join(dir, 'db.sqlite'));
    await dataSource.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    logger.warn.mockClear();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
    if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("copies committed pages into the database file from its own thread, the writer's own checkpoint only a backstop", async () => {
    worker = WalCheckpointWorker.start(dataSource, { intervalMs: 20, logger });
    expect(worker).not.toBeNull();
    expect(await pragma('wal_autocheckpoint')).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);

    await dataSource.transaction(async (manager) => {
      for (let i = 0; i < 200; i++) await manager.query('INSERT INTO t (v) VALUES (?)', [`row ${i}`]);
    });
    // The main file alone (without the WAL) holds the rows once a checkpoint has copied every frame the
    // commit wrote: checkpointed, not only logged. Results that reach this thread right after the commit
    // may come from checkpoints that started before it (the main thread was busy committing), so the
    // main file is read after each complete checkpoint until it holds the rows, for a bounded number of
    // checkpoints. The writer's own checkpoint is only a backstop far above these few pages, so nothing
    // but the worker can have put them there.
    let rowsInMainFile = 0;
    for (let checkpoints = 0; checkpoints < 100 && rowsInMainFile < 200; checkpoints++) {
      const result = await nextCheckpoint(worker!);
      if (result.log > 0 && result.checkpointed === result.log) rowsInMainFile = countRowsInMainFileOnly();
    }
    expect(rowsInMainFile).toBe(200);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('keeps the WAL bounded under continuous writes (a checkpoint from elsewhere never lets the writer restart it)', async () => {
    const pageSize = Number(await pragma('page_size'));
    const backstopPages = 50;
    worker = WalCheckpointWorker.start(dataSource, { intervalMs: 50, backstopPages, logger });
    // ~1,000 pages written in one-row commits, with the worker checkpointing all along.
    const blob = 'x'.repeat(pageSize);
    for (let i = 0; i < 1000; i++) await dataSource.query('INSERT INTO t (v) VALUES (?)', [blob]);
    const walPages = statSync(join(dir, 'db.sqlite-wal')).size / pageSize;
    // Without the backstop the WAL holds every page written (~2,000 frames: row + overflow page). The bound
    // is a few backstops, not one: a restart waits while the worker's checkpoint runs, and on a loaded machine
    // (two dialect suites at once) the worker's thread can be descheduled mid-checkpoint for several commits.
    expect(walPages).toBeLessThan(backstopPages * 8);
  });

  it("gives the host's own automatic checkpoint setting back when it stops", async () => {
    await dataSource.query('PRAGMA wal_autocheckpoint = 250');
    worker = WalCheckpointWorker.start(dataSource, { intervalMs: 20, logger });
    await worker!.stop();
    expect(await pragma('wal_autocheckpoint')).toBe(250);
  });

  it('gives them back, with a warning, when the worker fails', async () => {
    worker = WalCheckpointWorker.start(dataSource, { intervalMs: 20, logger, driverPath: join(dir, 'no-such-driver.js') });
    const reason = await new Promise<string>((resolve) => worker!.once('failure', resolve));
    expect(reason).toMatch(/worker failed|exited/);
    expect(await pragma('wal_autocheckpoint')).toBe(1000);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining("SQLite checkpoints are back in the writer's commits"));
  });

  it('is not started for an in-memory database or one not in WAL mode', async () => {
    const memory = await open(':memory:', false);
    const rollbackJournal = await open(join(dir, 'journal.sqlite'), false);
    try {
      expect(WalCheckpointWorker.start(memory)).toBeNull();
      expect(WalCheckpointWorker.start(rollbackJournal)).toBeNull();
    } finally {
      await memory.destroy();
      await rollbackJournal.destroy();
    }
  });
});
