import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { DataSource } from 'typeorm';

import { CHAT_DATA_SOURCE } from './tokens';

type SqliteConnection = { memory: boolean; pragma(source: string, options?: { simple: boolean }): unknown };

/** What the worker reports after each checkpoint (`PRAGMA wal_checkpoint` columns). */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * The writer's own automatic checkpoint stays on as a backstop, at this many WAL pages (16 MB with 4 KB
 * pages; SQLite's default is 1,000). A checkpoint from another connection copies the frames committed
 * so far, but only a write that starts once every frame is copied may reuse the WAL from the top; under
 * continuous writes that moment never comes, and without the backstop the WAL grew without bound
 * (docs/performance-log.md, third round). When the backstop fires, the worker has already copied most
 * frames.
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 4000;
/** How long `stop()` waits for a checkpoint in progress before terminating the worker. */
const STOP_TIMEOUT_MS = 5000;

// The worker is plain JavaScript evaluated in its own thread, so that it needs no file of its own in
// every build output (dist, the tests' TypeScript). It opens the same database file with its own
// connection and copies committed WAL frames into it; PASSIVE never waits for, nor blocks, the writer.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
db.pragma('synchronous = ' + workerData.synchronous);
const timer = setInterval(() => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints a WAL database from a worker thread instead of inside the writer's COMMIT.
 *
 * SQLite runs an automatic checkpoint inside the COMMIT that takes the WAL past 1,000 pages: it copies
 * the pages into the database file and fsyncs it. better-sqlite3 runs that on the event loop, so every
 * few groups of messages one send stalled every request in the process for it, and under a steady
 * stream of sends those stalls made most of the tail latency (measurements: docs/performance-log.md,
 * third round).
 * The worker's connection checkpoints every `intervalMs`; the main connection's automatic checkpoint
 * only backs it up meanwhile (`BACKSTOP_AUTOCHECKPOINT_PAGES`) and is given back as it was when the
 * worker stops or fails.
 */
export class WalCheckpointWorker extends EventEmitter<{ checkpoint: [CheckpointResult]; failure: [string] }> {
  private stopped = false;

  private constructor(
    private readonly connection: SqliteConnection,
    private readonly worker: Worker,
    private readonly logger: Pick<Logger, 'warn'>,
    /** The host's own setting, given back when the worker stops. */
    private readonly previousAutocheckpointPages: number,
  ) {
    super();
    worker.on('message', (message: { result?: CheckpointResult; error?: string }) => {
      if (message.result) this.emit('checkpoint', message.result);
      else if (message.error) this.fail(`a checkpoint failed: ${message.error}`);
    });
    worker.on('error', (error: Error) => this.fail(`the worker failed: ${error.message}`));
    worker.on('exit', () => {
      if (!this.stopped) this.fail('the worker exited');
    });
  }

  /** Starts checkpointing for a better-sqlite3 database file in WAL mode; `null` for anything else. */
  static start(
    dataSource: DataSource,
    options: { intervalMs?: number; backstopPages?: number; driverPath?: string; logger?: Pick<Logger, 'warn'> } = {},
  ): WalCheckpointWorker | null {
    if (dataSource.options.type !== 'better-sqlite3') return null;
    const connection = (dataSource.driver as unknown as { databaseConnection?: SqliteConnection }).databaseConnection;
    if (!connection || connection.memory) return null;
    if (String(connection.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return null;
    const main = (connection.pragma('database_list') as { name: string; file: string }[]).find((database) => database.name === 'main');
    if (!main?.file) return null;

    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: options.driverPath ?? require.resolve('better-sqlite3'),
        file: main.file,
        busyTimeoutMs: Number(connection.pragma('busy_timeout', { simple: true })) || 5000,
        synchronous: Number(connection.pragma('synchronous', { simple: true })),
        intervalMs: options.intervalMs ?? 200,
      },
    });
    // The process may exit without stopping it first (it holds no state worth waiting for).
    worker.unref();
    const previous = Number(connection.pragma('wal_autocheckpoint', { simple: true }));
    connection.pragma(`wal_autocheckpoint = ${options.backstopPages ?? BACKSTOP_AUTOCHECKPOINT_PAGES}`);
    return new WalCheckpointWorker(connection, worker, options.logger ?? new Logger('SqliteCheckpoints'), previous);
  }

  /** Stops the worker and gives the checkpoints back to SQLite. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.restoreAutomaticCheckpoints();
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    // Referenced again while it finishes: unreferenced, a process with nothing else left to do would
    // exit in the middle of its shutdown, before the hooks after this one ran (seen: the benchmark's
    // SQL capture ended with status 0 before writing its file).
    this.worker.ref();
    this.worker.postMessage('stop');
    const timeout = setTimeout(() => void this.worker.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timeout);
  }

  private fail(reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.restoreAutomaticCheckpoints();
    this.logger.warn(`SQLite checkpoints are back in the writer's commits: ${reason}`);
    this.emit('failure', reason);
    void this.worker.terminate();
  }

  private restoreAutomaticCheckpoints(): void {
    try {
      this.connection.pragma(`wal_autocheckpoint = ${this.previousAutocheckpointPages}`);
    } catch {
      // The connection is already closed (the host shut its data source down first): nothing to restore.
    }
  }
}

/** Runs `WalCheckpointWorker` for the chat's data source while the application runs. */
@Injectable()
export class SqliteCheckpoints implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker: WalCheckpointWorker | null = null;

  constructor(@Inject(CHAT_DATA_SOURCE) private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.worker = WalCheckpointWorker.start(this.dataSource);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
    this.worker = null;
  }
}
