// Preloaded into the benchmark's server (`node -r`): times every better-sqlite3 statement the server
// runs, so the benchmark can show what an endpoint's SQL costs inside a real request (next to the
// floor, the same statements in a tight loop). The benchmark asks for the running totals over the IPC
// channel it spawned the server with (a signal would not do: Nest's shutdown hooks claim SIGUSR2) and
// takes the difference.
'use strict';
const { isMainThread } = require('node:worker_threads');

if (process.send && isMainThread) {
  const Database = require('better-sqlite3');
  const probe = new Database(':memory:');
  const Statement = Object.getPrototypeOf(probe.prepare('SELECT 1'));
  probe.close();
  let calls = 0;
  let nanoseconds = 0n;
  for (const method of ['all', 'get', 'run', 'iterate']) {
    const original = Statement[method];
    Statement[method] = function timed(...parameters) {
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, parameters);
      } finally {
        nanoseconds += process.hrtime.bigint() - started;
        calls++;
      }
    };
  }
  process.on('message', (message) => {
    if (message === 'statement-times') process.send({ calls, ms: Number(nanoseconds) / 1e6 });
  });
  // The channel must not keep the server alive once Nest has closed it.
  process.channel.unref();
}
