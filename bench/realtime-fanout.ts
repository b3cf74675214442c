/**
 * Realtime fan-out benchmark (issue 4). Prints figures; it is not a timed test.
 *
 *   npm run bench:realtime              # full: 1,000 SSE clients, 100 conversations, 200 msg/s; 10,000 idle clients
 *   npm run bench:realtime -- --smoke   # a few seconds, for CI
 *
 * Servers run in their own processes (compiled, Node 24), on a fresh SQLite file in WAL mode; the
 * two-instance run shares that file and the Redis on 127.0.0.1:6379 (skipped when absent).
 * Latency = from just before the POST that sends a message to the moment a client parsed the event.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

import { redisReachableSync } from '../libs/chat-domain/src/realtime/testing/realtime-test-kit';
import { benchUsers } from './realtime-bench-users';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const num = (name: string, fallback: number) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const SMOKE = flag('smoke');
const CLIENTS = num('clients', SMOKE ? 40 : 1000);
const CONVERSATIONS = num('conversations', SMOKE ? 5 : 100);
const AGENT_STREAMS = num('agent-streams', Math.max(1, Math.round(CLIENTS / 10)));
const RATE = num('rate', SMOKE ? 20 : 200);
const SECONDS = num('seconds', SMOKE ? 2 : 20);
const IDLE = num('idle', SMOKE ? 200 : 10_000);
const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;

const users = benchUsers(CONVERSATIONS, AGENT_STREAMS);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

interface Server {
  url: string;
  process: ChildProcess;
  memory(): Promise<{ rss: number; heapUsed: number; external: number; arrayBuffers: number }>;
  stop(): Promise<void>;
}

async function startServer(db: string, redis: string | null, prefix: string): Promise<Server> {
  const args = [
    ...(process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    '--expose-gc',
    join(__dirname, 'realtime-server.js'),
    '--db',
    db,
    '--candidates',
    String(CONVERSATIONS),
    '--agents',
    String(AGENT_STREAMS),
    '--prefix',
    prefix,
  ];
  if (redis) args.push('--redis', redis);
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiters.shift()?.(line));
  const next = (prefix: string) => new Promise<string>((resolve) => waiters.push((line) => (line.startsWith(prefix) ? resolve(line) : resolve(next(prefix)))));
  const ready = await Promise.race([
    next('READY '),
    new Promise<string>((_, reject) => child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))),
  ]);
  return {
    url: ready.slice(6).trim(),
    process: child,
    memory: async () => {
      child.stdin.write('mem\n');
      return JSON.parse((await next('MEM ')).slice(4));
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

function request(method: string, url: string, userId: string, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      url,
      { method, agent, headers: { Authorization: `Bearer ${userId}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function pool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
      }
    }),
  );
}

/** An SSE client on its own socket; calls `onMessage(content)` for each `message.created`. */
function openStream(baseUrl: string, ticket: string, onMessage: (content: string) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}/api/support/chat/events?ticket=${ticket}`, { agent: false, headers: { Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.includes('event: message.created')) {
            const match = /"content":"([^"]*)"/.exec(frame);
            if (match) onMessage(match[1]);
          }
        }
      });
      res.on('error', () => undefined);
      resolve(req);
    });
    req.on('error', reject);
  });
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

interface FanoutResult {
  scenario: string;
  clients: number;
  sent: number;
  rate: number;
  delivered: number;
  expected: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  sendP50: number;
  sendP99: number;
  errors: number;
  fanoutP50: number;
  fanoutP99: number;
}

async function fanout(scenario: string, servers: Server[]): Promise<FanoutResult> {
  const first = servers[0].url;
  // One conversation per candidate.
  const conversations: { id: string; candidate: string }[] = [];
  await pool(users.candidates, 20, async (candidate) => {
    const { status, body } = await request('POST', `${first}/api/support/chat/conversations`, candidate.id, { subject: 'bench' });
    if (status !== 201) throw new Error(`create conversation: ${status} ${JSON.stringify(body)}`);
    conversations.push({ id: body.conversation.id, candidate: candidate.id });
  });

  // Streams: one per agent (every event), the rest spread as candidate tabs over the conversations.
  const latencies: number[] = [];
  const receivers = new Map<string, number>(); // candidate id -> tabs
  const subscribers: { userId: string }[] = users.agents.map((a) => ({ userId: a.id }));
  for (let i = 0; subscribers.length < CLIENTS; i++) {
    const candidate = conversations[i % conversations.length].candidate;
    subscribers.push({ userId: candidate });
    receivers.set(candidate, (receivers.get(candidate) ?? 0) + 1);
  }
  const streams: http.ClientRequest[] = [];
  let delivered = 0;
  const receipts: { content: string; at: number }[] = [];
  const onMessage = (content: string) => {
    delivered++;
    const at = performance.now();
    latencies.push(at - Number(content));
    receipts.push({ content, at });
  };
  await pool(subscribers, 50, async (subscriber, index) => {
    const server = servers[index % servers.length].url;
    const { body } = await request('POST', `${server}/api/support/chat/events/ticket`, subscriber.userId, {});
    streams.push(await openStream(server, body.ticket, onMessage));
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  latencies.length = 0;
  receipts.length = 0;
  delivered = 0;
  const committed = new Map<string, number>(); // content -> when the POST answered 201 (message stored)

  // Open-loop load: RATE messages per second, round-robin over conversations and instances.
  const sendTimes: number[] = [];
  let sent = 0;
  let errors = 0;
  let expected = 0;
  const total = RATE * SECONDS;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000));
      while (sent < due) {
        const index = sent++;
        const conversation = conversations[index % conversations.length];
        const sender = index % 2 === 0 ? conversation.candidate : users.agents[index % users.agents.length].id;
        // All writes through the first instance: SQLite allows one writer process at a time, and the
        // point of the two-instance run is the fan-out through Redis, not SQLite's cross-process locking.
        const server = servers[0].url;
        expected += users.agents.length + (receivers.get(conversation.candidate) ?? 0);
        const t0 = performance.now();
        inflight.push(
          request('POST', `${server}/api/support/chat/conversations/${conversation.id}/messages`, sender, { content: String(t0) }).then(
            (response) => {
              if (response.status !== 201 && errors++ < 3) console.error(`send failed: ${response.status} ${JSON.stringify(response.body)}`);
              committed.set(String(t0), performance.now());
              sendTimes.push(performance.now() - t0);
            },
            () => void errors++,
          ),
        );
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  await Promise.all(inflight);
  const deadline = Date.now() + 10_000;
  while (delivered < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const stream of streams) stream.destroy();

  latencies.sort((a, b) => a - b);
  sendTimes.sort((a, b) => a - b);
  // Fan-out alone: from the 201 of the POST (message committed) to the receipt; an event that arrived
  // before the HTTP response counts as 0.
  const fanoutLatencies = receipts.map(({ content, at }) => Math.max(0, at - (committed.get(content) ?? at))).sort((a, b) => a - b);
  return {
    scenario,
    clients: subscribers.length,
    sent,
    rate: Math.round(sent / elapsed),
    delivered,
    expected,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    sendP50: percentile(sendTimes, 50),
    sendP99: percentile(sendTimes, 99),
    errors,
    fanoutP50: percentile(fanoutLatencies, 50),
    fanoutP99: percentile(fanoutLatencies, 99),
  };
}

async function idleMemory(
  server: Server,
): Promise<{ connections: number; rssPerConnection: number; heapPerConnection: number; rssBefore: number; rssAfter: number }> {
  const conversations: string[] = [];
  for (const candidate of users.candidates.slice(0, 10)) {
    const { body } = await request('POST', `${server.url}/api/support/chat/conversations`, candidate.id, { subject: 'idle' });
    conversations.push(body.conversation.id);
  }
  // Warm up every code path once, so that the figure is per connection and not JIT/first-use cost.
  const warm = await Promise.all(
    users.candidates
      .slice(0, 50)
      .map(async (candidate) =>
        openStream(server.url, (await request('POST', `${server.url}/api/support/chat/events/ticket`, candidate.id, {})).body.ticket, () => undefined),
      ),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const stream of warm) stream.destroy();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const before = await server.memory();

  const streams: http.ClientRequest[] = [];
  const owners = Array.from({ length: IDLE }, (_, i) =>
    i % 10 === 0 ? users.agents[i % users.agents.length].id : users.candidates[i % users.candidates.length].id,
  );
  await pool(owners, 100, async (userId) => {
    const { body } = await request('POST', `${server.url}/api/support/chat/events/ticket`, userId, {});
    streams.push(await openStream(server.url, body.ticket, () => undefined));
  });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = await server.memory();
  for (const stream of streams) stream.destroy();
  return {
    connections: streams.length,
    rssPerConnection: (after.rss - before.rss) / streams.length,
    heapPerConnection: (after.heapUsed + after.external - before.heapUsed - before.external) / streams.length,
    rssBefore: before.rss,
    rssAfter: after.rss,
  };
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'chat-bench-'));
  const results: FanoutResult[] = [];
  let idle: Awaited<ReturnType<typeof idleMemory>> | null = null;
  const redisUp = redisReachableSync(6379);
  try {
    if (!ONLY || ONLY === 'one') {
      const server = await startServer(join(dir, 'one.sqlite'), null, 'x');
      try {
        results.push(await fanout('1 instance, in-process broker', [server]));
      } finally {
        await server.stop();
      }
    }
    if (!ONLY || ONLY === 'two') {
      if (!redisUp) console.log('SKIPPED two-instance run: no Redis on 127.0.0.1:6379');
      else {
        const prefix = `support-chat-bench-${randomUUID()}`;
        const a = await startServer(join(dir, 'two.sqlite'), 'redis://127.0.0.1:6379', prefix);
        const b = await startServer(join(dir, 'two.sqlite'), 'redis://127.0.0.1:6379', prefix);
        try {
          results.push(await fanout('2 instances via Redis', [a, b]));
        } finally {
          await Promise.all([a.stop(), b.stop()]);
        }
      }
    }
    if ((!ONLY || ONLY === 'idle') && IDLE > 0) {
      const server = await startServer(join(dir, 'idle.sqlite'), null, 'x');
      try {
        idle = await idleMemory(server);
      } finally {
        await server.stop();
      }
    }
  } finally {
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(
    `\nRealtime fan-out — ${new Date().toISOString()} — ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}${SMOKE ? ' (smoke)' : ''}`,
  );
  console.log(`${CONVERSATIONS} conversations, ${AGENT_STREAMS} agent streams (every event) + candidate tabs; ${RATE} msg/s for ${SECONDS} s\n`);
  console.log(
    '| scenario | SSE clients | msg sent | msg/s | deliveries (got/expected) | p50 ms | p95 ms | p99 ms | max ms | POST p50 / p99 ms | commit->receive p50 / p99 ms | errors |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.scenario} | ${r.clients} | ${r.sent} | ${r.rate} | ${r.delivered}/${r.expected} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${ms(r.sendP50)} / ${ms(r.sendP99)} | ${ms(r.fanoutP50)} / ${ms(r.fanoutP99)} | ${r.errors} |`,
    );
  }
  if (idle) {
    console.log(`\n| idle SSE connections | RSS before | RSS after | RSS per connection | JS heap + external per connection |`);
    console.log('|---|---|---|---|---|');
    console.log(
      `| ${idle.connections} | ${(idle.rssBefore / 2 ** 20).toFixed(0)} MB | ${(idle.rssAfter / 2 ** 20).toFixed(0)} MB | ${kb(idle.rssPerConnection)} KB | ${kb(idle.heapPerConnection)} KB |`,
    );
  }
  const incomplete = results.some((r) => r.delivered < r.expected || r.errors > 0);
  if (SMOKE && incomplete) {
    console.error('smoke: some deliveries were missing or sends failed');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
