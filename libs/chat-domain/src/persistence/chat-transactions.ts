import { Inject, Injectable } from '@nestjs/common';
import { Mutex } from 'async-mutex';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

import { CHAT_DATA_SOURCE } from './tokens';

/**
 * Runs the chat's write units in transactions.
 *
 * TypeORM's SQLite drivers share one connection, so two concurrent `transaction()` calls would nest
 * into each other; on SQLite the units are queued instead. Server databases run them concurrently and
 * rely on row locks (see `MessagesService.send`).
 */
@Injectable()
export class ChatTransactions {
  private readonly sqliteQueue: Mutex | null;

  constructor(@Inject(CHAT_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.sqliteQueue = dataSource.options.type === 'better-sqlite3' ? new Mutex() : null;
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const transaction = () => this.dataSource.transaction('READ COMMITTED', work);
    if (!this.sqliteQueue) return transaction();
    return this.sqliteQueue.runExclusive(() => this.dataSource.transaction(work));
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
