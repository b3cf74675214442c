import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

import { CHAT_DATA_SOURCE } from './tokens';

/** Most write units one SQLite commit carries (see `GroupCommitQueue`). */
export const MAX_UNITS_PER_COMMIT = 64;
/** How long a group waits for more units when sends are arriving concurrently (see `GroupCommitQueue`). */
export const COMMIT_GATHER_MS = 2;
/** A group waits for company only this soon after the previous group's commit. */
const CONCURRENT_SENDS_WINDOW_MS = 10;

export interface GroupCommitOptions {
  /** Wait for company under concurrent sends, in ms; 0 turns the wait off. */
  gatherMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Runs the chat's write units in transactions.
 *
 * TypeORM's SQLite drivers share one connection, so two concurrent `transaction()` calls would nest
 * into each other; on SQLite the units are queued and committed in groups (`GroupCommitQueue`). Server
 * databases run them concurrently and rely on row locks (see `MessagesService.send`).
 */
@Injectable()
export class ChatTransactions {
  private readonly sqliteQueue: GroupCommitQueue | null;

  constructor(@Inject(CHAT_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.sqliteQueue = dataSource.options.type === 'better-sqlite3' ? new GroupCommitQueue(dataSource) : null;
  }

  /**
   * Runs `work` in a transaction and answers its value once committed. On SQLite `work` may run twice
   * (`GroupCommitQueue`: when another unit of its group throws, the group is rolled back and run again),
   * and only its last run counts: it must act only through `manager` (reads and writes), and whatever else
   * it does must be safe to do again (set a value it would set again, throw the same error).
   */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.sqliteQueue) return this.dataSource.transaction('READ COMMITTED', work);
    return this.sqliteQueue.run(work);
  }
}

interface QueuedUnit {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * SQLite group commit. Units still run one at a time, in arrival order, exactly as behind a mutex; but
 * the units that queued up while one commit was being made share the next transaction, each inside its
 * own SAVEPOINT, and are settled only after that transaction's COMMIT has returned.
 *
 * Why: with `synchronous=FULL` every COMMIT waits for an fsync (milliseconds on real disks, and
 * better-sqlite3 blocks the event loop meanwhile), so one commit per message caps a server at a few
 * hundred messages per second. Grouping keeps the durability promise (nothing is acknowledged before
 * the commit that contains it is on disk) and pays one fsync per group instead of one per message.
 *
 * Isolation between units is what it was with a mutex: a unit that throws is rolled back (to its
 * savepoint) and rejected with its own error, the others are unaffected. If the COMMIT itself fails,
 * every unit of the group is rejected (none of them was acknowledged). Under no load a group is one
 * unit, so latency is unchanged; such a group runs its unit without a SAVEPOINT (`commitAlone`). A group
 * of several units first runs without savepoints either, and only when one of its units throws is it
 * rolled back and run again with a savepoint per unit (`commitWithoutSavepoints`).
 *
 * Under concurrent sends a group also waits up to `gatherMs` (`COMMIT_GATHER_MS` by default) for
 * company before it starts, like PostgreSQL's `commit_delay`: each commit writes every page it touched to
 * the WAL again and fsyncs, so many small groups (messages arriving one by one at a high rate) rewrite
 * the same hot pages again and again and cost more CPU per message than fewer, larger groups; the price
 * is up to `gatherMs` more latency per send at such rates (measurements: docs/performance-log.md, fourth
 * round). The wait lasts until as many units have queued as the previous group carried, and at most
 * `gatherMs`, and only within `CONCURRENT_SENDS_WINDOW_MS` of that group's commit; so once a group holds
 * a single unit (one sender at a time, or a lull), the next one does not wait at all.
 */
export class GroupCommitQueue {
  private pending: QueuedUnit[] = [];
  private draining = false;
  private previousGroup = { units: 0, committedAt: -Infinity };
  /** Set while a group waits for company: called when enough units have queued. */
  private companyArrived: (() => void) | null = null;
  private readonly gatherMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly dataSource: DataSource,
    options: GroupCommitOptions = {},
  ) {
    this.gatherMs = options.gatherMs ?? COMMIT_GATHER_MS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? (() => performance.now());
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.companyArrived && this.pending.length >= this.gatherTarget()) this.companyArrived();
      if (!this.draining) {
        this.draining = true;
        void this.drain();
      }
    });
  }

  /**
   * Each group starts on the next turn of the event loop, never at once. better-sqlite3 is synchronous,
   * so a whole group runs as one chain of microtasks during which no other request can make progress;
   * started at once, every group would hold the one unit that started it (measured: one commit per
   * message under concurrent senders; docs/performance-log.md, second round). Waiting one turn lets the
   * requests that arrived meanwhile reach the queue and share the commit; alone, a unit waits only for
   * that turn.
   */
  private async drain(): Promise<void> {
    try {
      do {
        await new Promise((resolve) => setImmediate(resolve));
        let group: QueuedUnit[] = [];
        let settle: () => void;
        try {
          if (this.sendsAreConcurrent() && this.pending.length < this.gatherTarget()) await this.gatherCompany();
          group = this.pending.splice(0, MAX_UNITS_PER_COMMIT);
          settle = await this.commitGroup(group);
        } catch (error) {
          // commitGroup answers how to settle its own units; this is a failure before it could (no connection, say).
          settle = () => group.forEach((unit) => unit.reject(error));
        }
        // Recorded before the units are settled: a caller that sends again as soon as its unit is settled
        // finds the group it was part of already counted (how many, and when).
        this.previousGroup = { units: group.length, committedAt: this.now() };
        settle();
      } while (this.pending.length > 0);
    } finally {
      this.draining = false;
    }
  }

  /** As many units as the previous group carried (never more than a group holds). */
  private gatherTarget(): number {
    return this.previousGroup.units;
  }

  private async gatherCompany(): Promise<void> {
    try {
      await Promise.race([this.sleep(this.gatherMs), new Promise<void>((resolve) => (this.companyArrived = resolve))]);
    } finally {
      this.companyArrived = null;
    }
  }

  private sendsAreConcurrent(): boolean {
    // A previous group of one unit never makes the next one wait: its target is already met.
    return this.gatherMs > 0 && this.now() - this.previousGroup.committedAt < CONCURRENT_SENDS_WINDOW_MS;
  }

  /** Commits the group and answers how to settle its units (once the transaction has ended). */
  private async commitGroup(group: QueuedUnit[]): Promise<() => void> {
    if (group.length === 1) return this.commitAlone(group[0]);
    return (await this.commitWithoutSavepoints(group)) ?? (await this.commitWithSavepoints(group));
  }

  /**
   * The common case of a group: no unit throws. The units run one after the other in one transaction
   * without a SAVEPOINT each (two statements per unit, and the sub-journal SQLite keeps for every page a
   * savepoint changes), and are settled after the COMMIT. Answers how to settle the group (committed, or
   * rejected as a whole because BEGIN or COMMIT failed); null when a unit threw: then the transaction was
   * rolled back, and `commitWithSavepoints` runs the whole group again, every unit in its own savepoint,
   * so that only the failing unit fails. A unit may therefore run twice (see
   * `ChatTransactions.run`); only its last run counts.
   */
  private async commitWithoutSavepoints(group: QueuedUnit[]): Promise<(() => void) | null> {
    const runner = this.dataSource.createQueryRunner();
    const values: unknown[] = [];
    try {
      await runner.startTransaction();
      for (const unit of group) {
        try {
          values.push(await unit.work(runner.manager));
        } catch {
          await runner.rollbackTransaction();
          return null;
        }
      }
      await runner.commitTransaction(); // COMMIT: the group is durable from here on
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      return () => group.forEach((unit) => unit.reject(error));
    } finally {
      await runner.release();
    }
    return () => group.forEach((unit, index) => unit.resolve(values[index]));
  }

  /** A group in which some unit throws: each unit in its own SAVEPOINT, rolled back alone when it throws. */
  private async commitWithSavepoints(group: QueuedUnit[]): Promise<() => void> {
    const runner = this.dataSource.createQueryRunner();
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await runner.startTransaction();
      for (const unit of group) {
        await runner.startTransaction(); // SAVEPOINT
        try {
          const value = await unit.work(runner.manager);
          await runner.commitTransaction(); // RELEASE SAVEPOINT
          outcomes.push({ ok: true, value });
        } catch (error) {
          await runner.rollbackTransaction(); // ROLLBACK TO SAVEPOINT
          outcomes.push({ ok: false, error });
        }
      }
      await runner.commitTransaction(); // COMMIT: the group is durable from here on
    } catch (error) {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction().catch(() => undefined);
      }
      return () => group.forEach((unit) => unit.reject(error));
    } finally {
      await runner.release();
    }
    return () =>
      group.forEach((unit, index) => {
        const outcome = outcomes[index];
        if (outcome.ok) unit.resolve(outcome.value);
        else unit.reject(outcome.error);
      });
  }

  /**
   * A group of one unit (no concurrent sends, so the common case) needs no SAVEPOINT: the transaction is
   * the unit's, and rolling it back is rolling back the unit. Two statements fewer per write unit.
   */
  private async commitAlone(unit: QueuedUnit): Promise<() => void> {
    const runner = this.dataSource.createQueryRunner();
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
    try {
      await runner.startTransaction();
      try {
        outcome = { ok: true, value: await unit.work(runner.manager) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      // As in a group: settled only once the transaction has ended, committed or rolled back.
      if (outcome.ok)
        await runner.commitTransaction(); // COMMIT: the unit is durable from here on
      else await runner.rollbackTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      return () => unit.reject(error);
    } finally {
      await runner.release();
    }
    const settled = outcome;
    return () => (settled.ok ? unit.resolve(settled.value) : unit.reject(settled.error));
  }
}

/** True when the error is a unique-key violation, on any supported database. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; number?: number; errno?: number };
  return (
    driverError.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    driverError.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    driverError.code === '23505' || // PostgreSQL
    driverError.code === 'ER_DUP_ENTRY' || // MySQL / MariaDB
    driverError.number === 2627 || // SQL Server: unique constraint
    driverError.number === 2601 // SQL Server: unique index
  );
}
