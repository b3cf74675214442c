/** The little of `pg` the benchmarks use (the project has no @types/pg). */
export interface PgClient {
  connect(): Promise<void>;
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): void;
}

export function newPgClient(connectionString: string): PgClient {
  const pg = require('pg') as { Client: new (options: { connectionString: string }) => PgClient };
  return new pg.Client({ connectionString });
}
