/**
 * The per-account login limit on MariaDB (issue 13): the default collation is case- and
 * accent-insensitive, so `gerénte1`, `GERENTE1` and `gerente1 ` all log in to `gerente1`, and they must
 * share its allowance. Runs against the local MariaDB (`SUPPORT_CHAT_TEST_MARIADB_URL`, default
 * mysql://root@127.0.0.1:3306) in a database of its own; skipped with a message when none answers.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { createConnection } from 'mysql2/promise';

import { createTestApp, DEMO_PASSWORD, TestApp } from './test-app';

const server = new URL(process.env.SUPPORT_CHAT_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306');
const MARIADB_UP =
  spawnSync(
    process.execPath,
    [
      '-e',
      `const s=require('net').connect(${Number(server.port || 3306)},${JSON.stringify(server.hostname)});s.setTimeout(800,()=>process.exit(1));s.on('error',()=>process.exit(1));s.on('connect',()=>process.exit(0));`,
    ],
    { stdio: 'ignore', timeout: 3000 },
  ).status === 0;
if (!MARIADB_UP) console.warn(`SKIPPED per-account login limit on MariaDB: nothing answers on ${server.host} (set SUPPORT_CHAT_TEST_MARIADB_URL).`);

(MARIADB_UP ? describe : describe.skip)('per-account login limit on MariaDB', () => {
  const name = `sct_login_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = () =>
    createConnection({
      host: server.hostname,
      port: Number(server.port || 3306),
      user: decodeURIComponent(server.username) || 'root',
      password: decodeURIComponent(server.password),
    });
  let t: TestApp;
  beforeAll(async () => {
    const connection = await admin();
    // The server's default collation, as a host that follows docs/databases.md gets it.
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    await connection.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    t = await createTestApp({ env: { DATABASE_URL: url.toString(), LOGIN_RATE_LIMIT_PER_MINUTE: '1000', LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: '4' } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    const connection = await admin();
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.end();
  });

  const login = (username: string, password: string) => t.http.post('/api/auth/login').send({ username, password });

  it('counts every spelling the database treats as the same account against that account', async () => {
    // The database itself equates the spellings: an accented one logs in.
    await login('gerénte1', DEMO_PASSWORD).expect(200);
    await login('GERENTE1', 'incorrecta').expect(401);
    await login('gerente1 ', 'incorrecta').expect(401);
    await login('gerénte1', 'incorrecta').expect(401);
    const limited = await login('gerente1', DEMO_PASSWORD).expect(429);
    expect(limited.body).toEqual({ error: expect.stringMatching(/para esta cuenta/), code: 'rate_limited' });
    // Another account keeps its own allowance.
    await login('soporte1', DEMO_PASSWORD).expect(200);
  });
});
