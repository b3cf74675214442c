/**
 * The chat module alone on Nest's Express adapter and on its Fastify adapter (issue 19): the same
 * handlers, the same SQLite file, no host around them (test bearer auth, the users in memory, no helmet,
 * compression or request logs), so the difference between the two rows is the adapter's.
 *
 *   npm run bench:adapters [-- --db tmp/bench/large.sqlite --rounds 3 --seconds 5]
 *
 * Needs the database `npm run bench` seeds. Each adapter gets its own copy of it and its own process; the
 * rounds alternate the order, so a machine that slows down weighs on both alike. Prints CPU ms per request
 * (from /proc, server process) and p50 per endpoint, medians over the rounds.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import { conversationId, staffId } from './lib/ids';
import { load, LoadResult, median } from './lib/measure';

const API = '/api/support/chat';
const ADAPTERS = ['express', 'fastify'] as const;
type Adapter = (typeof ADAPTERS)[number];

interface Server {
  url: string;
  child: ChildProcess;
}

async function start(db: string, adapter: Adapter): Promise<Server> {
  const child = spawn(process.execPath, [join(__dirname, 'realtime-server.js'), '--db', db, '--users-from-db', '--http-adapter', adapter], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const ready = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => line.startsWith('READY ') && resolve(line.slice(6).trim()));
    child.once('exit', (code) => reject(new Error(`${adapter} server exited with ${code}`)));
  });
  return { url: ready, child };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'tmp/bench/large.sqlite' },
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
    },
  });
  if (!existsSync(values.db)) throw new Error(`${values.db} not found: run \`npm run bench\` first (it seeds it)`);
  const work = join('tmp', 'bench', 'adapters');
  mkdirSync(work, { recursive: true });
  const headers = { authorization: `Bearer ${staffId(0)}` };
  const endpoints = [
    { name: 'GET history newest page (50)', path: `${API}/conversations/${conversationId(0)}/messages?page=1&per_page=50` },
    { name: 'GET list @10k (20)', path: `${API}/conversations?page=1&per_page=20` },
    { name: 'GET list If-None-Match (304)', path: `${API}/conversations?page=1&per_page=20`, etag: true },
    { name: 'GET unread-count', path: `${API}/unread-count` },
  ];
  const results = new Map<string, LoadResult[]>();
  const rounds = Number(values.rounds);
  for (let round = 1; round <= rounds; round++) {
    for (const adapter of round % 2 === 1 ? ADAPTERS : [...ADAPTERS].reverse()) {
      const db = join(work, `${adapter}.sqlite`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
      copyFileSync(values.db, db);
      const server = await start(db, adapter);
      try {
        const etag = (await fetch(`${server.url}${endpoints[1].path}`, { headers })).headers.get('etag') ?? '';
        for (const endpoint of endpoints) {
          console.log(`round ${round}/${rounds}, ${adapter}: ${endpoint.name}`);
          const result = await load({
            url: server.url,
            pid: server.child.pid!,
            path: endpoint.path,
            headers: endpoint.etag ? { ...headers, 'if-none-match': etag } : headers,
            connections: 1,
            seconds: Number(values.seconds),
            warmupSeconds: Number(values.warmup),
          });
          const expected = endpoint.etag ? '304' : '200';
          if (Object.keys(result.statuses).some((status) => status !== expected)) {
            throw new Error(`${adapter} ${endpoint.name}: ${JSON.stringify(result.statuses)}`);
          }
          const key = `${endpoint.name}|${adapter}`;
          results.set(key, [...(results.get(key) ?? []), result]);
        }
      } finally {
        await stop(server.child);
      }
    }
  }

  console.log(`\nThe chat module alone on each Nest HTTP adapter, SQLite (${values.db}), 1 connection, medians of ${rounds} rounds`);
  console.log('| endpoint | express CPU ms/req | fastify CPU ms/req | fastify / express | express p50 ms | fastify p50 ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const endpoint of endpoints) {
    const of = (adapter: Adapter) => results.get(`${endpoint.name}|${adapter}`) ?? [];
    const cpu = (adapter: Adapter) => median(of(adapter).map((result) => result.cpuMsPerRequest));
    const p50 = (adapter: Adapter) => median(of(adapter).map((result) => result.p50));
    console.log(
      `| ${endpoint.name} | ${cpu('express').toFixed(3)} | ${cpu('fastify').toFixed(3)} | ${(cpu('fastify') / cpu('express')).toFixed(2)} | ${p50('express').toFixed(2)} | ${p50('fastify').toFixed(2)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
