import { QueryFailedError, QueryRunner, QueryRunnerAlreadyReleasedError } from 'typeorm';

/** What this module needs of a node-postgres client (the connection a PostgreSQL query runner holds). */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/**
 * Runs one statement on PostgreSQL as a named prepared statement: node-postgres parses it once per
 * connection under `name` and from then on sends only the values, and PostgreSQL keeps its plan (after
 * five runs, a generic one when it costs no more). An unnamed statement, the only kind TypeORM's query
 * runner sends, is parsed and planned again on every run; for the one-statement send that was a third of
 * PostgreSQL's CPU per message with 50 senders (docs/performance-log.md).
 *
 * It does what `PostgresQueryRunner.query` does around the driver call, on the same connection (the
 * runner's, so inside its transaction when there is one): the data source's logger sees the statement
 * (and its failure, and a slow run), subscribers get the before- and after-query events, and a failure
 * is the driver's error wrapped in `QueryFailedError`, as from any TypeORM query.
 *
 * `name` must always stand for the same text: node-postgres refuses a known name with another text.
 */
export async function queryPrepared(runner: QueryRunner, name: string, sql: string, values: unknown[]): Promise<{ records: unknown[]; affected: number }> {
  if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const client = (await runner.connect()) as PgClient;
  const { logger, options } = runner.dataSource;
  logger.logQuery(sql, values, runner);
  await runner.broadcaster.broadcast('BeforeQuery', sql, values);
  const started = Date.now();
  let raw: Awaited<ReturnType<PgClient['query']>>;
  try {
    raw = await client.query({ name, text: sql, values });
  } catch (error) {
    logger.logQueryError(error as Error, sql, values, runner);
    await runner.broadcaster.broadcast('AfterQuery', sql, values, false, undefined, undefined, error);
    throw new QueryFailedError(sql, values, error as Error);
  }
  const elapsed = Date.now() - started;
  await runner.broadcaster.broadcast('AfterQuery', sql, values, true, elapsed, raw, undefined);
  if (options.maxQueryExecutionTime && elapsed > options.maxQueryExecutionTime) logger.logQuerySlow(elapsed, sql, values, runner);
  return { records: raw.rows, affected: raw.rowCount ?? 0 };
}
