/**
 * Captures the SQL each endpoint sends: builds the compiled app (dist/bench-api) in this process with a
 * recording TypeORM logger, answers one warm-up and one recorded request per endpoint, and writes the
 * statements with their parameters as JSON. Plain Node on purpose: @nestjs/terminus resolves its peers
 * with `import.meta.resolve`, which fails under tsx's loader.
 *
 *   node bench/lib/capture-sql.cjs '<json job>'   (see captureStatements in bench/rest.ts)
 */
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { randomUUID } = require('node:crypto');

const job = JSON.parse(process.argv[2]);
require(require.resolve('reflect-metadata', { paths: [job.repoRoot] }));
const { createApp } = require(join(job.buildDir, 'apps/api/src/app.factory.js'));

class StatementRecorder {
  constructor() {
    this.current = null;
  }
  logQuery(query, parameters) {
    if (this.current) this.current.push({ sql: query, parameters: [...(parameters || [])] });
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
  async capture(work) {
    this.current = [];
    try {
      await work();
      return this.current;
    } finally {
      this.current = null;
    }
  }
}

async function main() {
  const recorder = new StatementRecorder();
  const { app } = await createApp({
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: job.databaseUrl,
      JWT_SECRET: job.jwtSecret,
      DEMO_USERS: 'false',
      LOG_LEVEL: 'silent',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
      // The benchmarks' servers' own settings (support always open, no background jobs): the captured send
      // is then the one those servers run, whatever the hour.
      ...job.serverEnv,
    },
    swagger: false,
    dataSourceExtras: { logger: recorder },
  });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const call = (path, token, init = {}) =>
    fetch(url + path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers || {}) } });
  const login = async (username) => {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: job.password }),
    });
    if (!response.ok) throw new Error(`login ${username}: ${response.status}`);
    return (await response.json()).access_token;
  };
  const captured = {};
  try {
    const staff = await login(job.staffUsername);
    for (const [name, path] of Object.entries(job.reads)) {
      const first = await call(path, staff);
      if (!first.ok) throw new Error(`${name}: ${first.status} ${await first.text()}`);
      captured[name] = await recorder.capture(async () => (await call(path, staff)).arrayBuffer());
    }
    const etag = (await call(job.reads.list, staff)).headers.get('etag') || '';
    captured.poll304 = await recorder.capture(async () => {
      const response = await call(job.reads.list, staff, { headers: { 'if-none-match': etag } });
      if (response.status !== 304) throw new Error(`poll: expected 304, got ${response.status}`);
    });
    if (job.post) {
      const token = await login(job.post.username);
      const send = () =>
        call(job.post.path, token, { method: 'POST', body: JSON.stringify({ content: 'Mensaje de calentamiento', client_message_id: randomUUID() }) });
      await send();
      captured.post = await recorder.capture(async () => {
        const response = await send();
        if (response.status !== 201) throw new Error(`post: expected 201, got ${response.status}`);
      });
    }
  } finally {
    await app.close();
  }
  // Integer parameters are bigints on SQLite (see the chat's sqlite-integer-parameters); the floor binds them as numbers.
  writeFileSync(
    job.out,
    JSON.stringify(captured, (_key, value) => (typeof value === 'bigint' ? Number(value) : value)),
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
