/**
 * Runs the chat-domain test suite against a real database server:
 *
 *   npm run test:postgres        # SUPPORT_CHAT_TEST_DB=postgres, server SUPPORT_CHAT_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *   npm run test:mariadb         # SUPPORT_CHAT_TEST_DB=mariadb,  server SUPPORT_CHAT_TEST_MARIADB_URL (default mysql://root@127.0.0.1:3306)
 *   npm run test:mssql           # SUPPORT_CHAT_TEST_DB=mssql,    server SUPPORT_CHAT_TEST_MSSQL_URL (required)
 *
 * Extra arguments go to jest (`npm run test:postgres -- -t concurrency`). Every test app creates its own
 * database (`sct_<run id>_...`) and drops it when it closes; whatever a crashed test leaves behind is
 * dropped here at the end of the run. When the server cannot be reached the run is skipped with a
 * visible "SKIPPED: ..." line and exit code 0, unless SUPPORT_CHAT_TEST_REQUIRE_SERVER=true (then 1).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { DIALECT_LABELS, probeServer, serverUrl, sweepTestDatabases, testDialect } from '../libs/chat-domain/src/testing/test-database';

function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

async function main(): Promise<number> {
  const [dialectArg, ...jestArgs] = process.argv.slice(2);
  const dialect = testDialect({ SUPPORT_CHAT_TEST_DB: dialectArg });
  if (dialect === 'sqlite') {
    console.error('usage: tsx scripts/test-db.ts postgres|mariadb|mssql [jest args...]');
    return 2;
  }
  const server = dialect;
  const label = DIALECT_LABELS[server];
  const strict = /^(true|1|yes)$/i.test(process.env.SUPPORT_CHAT_TEST_REQUIRE_SERVER ?? '');
  const skip = (reason: string): number => {
    console.log(`SKIPPED: ${reason}`);
    return strict ? 1 : 0;
  };

  let url: string;
  try {
    url = serverUrl(server);
  } catch (error) {
    return skip(`${label}: ${(error as Error).message}`);
  }
  let version: string;
  try {
    version = await probeServer(server);
  } catch (error) {
    return skip(`${label} not reachable at ${redact(url)} (${(error as Error).message || String(error)})`);
  }

  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  console.log(`chat-domain suite on ${label} (${version.split('\n')[0]}) at ${redact(url)}, run ${runId}`);
  // A server database costs a create and a drop per test app plus a network round trip per query:
  // jest's 5 s default is too tight for tests that boot two apps or write dozens of rows.
  const timeout = jestArgs.some((arg) => arg.startsWith('--testTimeout')) ? [] : ['--testTimeout=30000'];
  // A MariaDB run was seen to keep jest alive after every test passed (a driver socket not yet
  // released), which would hang CI: once the run is over, jest may exit regardless.
  const result = spawnSync('npm', ['run', 'test:jest', '--', '--selectProjects', 'chat-domain', '--forceExit', ...timeout, ...jestArgs], {
    stdio: 'inherit',
    env: { ...process.env, SUPPORT_CHAT_TEST_DB: server, SUPPORT_CHAT_TEST_RUN_ID: runId },
  });

  const leftovers = await sweepTestDatabases(server, runId).catch((error: unknown) => {
    console.warn(`could not sweep test databases: ${(error as Error).message}`);
    return [];
  });
  if (leftovers.length > 0) console.log(`dropped ${leftovers.length} database(s) left behind by the run`);
  return result.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
