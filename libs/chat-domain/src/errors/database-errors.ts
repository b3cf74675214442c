/**
 * Recognises errors that mean "the database cannot be reached or written right now" across the
 * drivers the module supports, so that they become a 503 the client may retry rather than a 500.
 */
const UNAVAILABLE_CODES = new Set([
  // SQLite (better-sqlite3)
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  // Node sockets (PostgreSQL, MariaDB, SQL Server)
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  // PostgreSQL SQLSTATE: admin shutdown, crash shutdown, cannot connect now, too many connections,
  // connection exceptions (class 08), read-only transaction (a standby after a failover)
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '25006',
  // MariaDB / MySQL
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  // SQL Server (tedious)
  'ESOCKET',
  'ECONNCLOSED',
  'ETIMEOUT',
]);

export function isDatabaseUnavailableError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    if (typeof current !== 'object') return false;
    const candidate = current as { code?: unknown; driverError?: unknown; cause?: unknown; message?: unknown };
    if (typeof candidate.code === 'string') {
      if (UNAVAILABLE_CODES.has(candidate.code) || candidate.code.startsWith('SQLITE_IOERR')) return true;
    }
    if (
      typeof candidate.message === 'string' &&
      /Connection terminated|connection is closed|Client has encountered a connection error|is not currently accepting connections/i.test(candidate.message)
    ) {
      return true;
    }
    current = candidate.driverError ?? candidate.cause;
  }
  return false;
}
