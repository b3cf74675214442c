/**
 * Where a request's CPU goes, layer by layer (issue 19). Two uses:
 *
 *   tsx bench/profile-layers.ts --db sqlite:tmp/bench/large.sqlite [--seconds 5] [--out tmp/bench/profiles]
 *       starts the built server (dist/bench-api) on a copy of a database seeded by `npm run bench`,
 *       drives each endpoint with one connection, records a CPU profile of the measured window
 *       (lib/cpu-profiler.cjs) and prints the breakdown of each;
 *       (`--only history,list` for some endpoints; `--server <main.js>` for another build, e.g. a copy of
 *       dist/bench-api kept from before a change, to compare the two one after the other; `--cpu-only`
 *       for the CPU per request alone, without the profiler's own cost);
 *   tsx bench/profile-layers.ts tmp/bench/profiles/history.cpuprofile ...
 *       prints the breakdown of profiles recorded before (or with `node --cpu-prof`).
 *
 * Each sample's time goes to the layer of its innermost frame that belongs to one (a native frame, such
 * as a better-sqlite3 call or JSON.stringify, counts for the layer that called it unless it has a
 * layer of its own): "self" columns add up to the busy time. "incl." is the share of samples with that
 * layer anywhere on the stack (nested layers overlap, so those do not add up).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { BENCH_PASSWORD, conversationId, staffId, staffUsername } from './lib/ids';
import { markDeepMessagesOneByOne } from './lib/mark-read-moving';
import { AutocannonClient, load } from './lib/measure';
import { nodeBinary, REPO_ROOT, SERVER_MAIN } from './lib/server-build';
import { benchServerEnv } from './lib/server-env';

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The inspector's own frames: left out of the busy time and the shares. */
const PROFILER = 'profiler itself (inspector)';

/** Layers in the order they are tested against a frame's URL (first match wins). */
const LAYERS: { layer: string; url: RegExp }[] = [
  { layer: 'SQL: better-sqlite3', url: /node_modules\/better-sqlite3\// },
  { layer: 'TypeORM (query runner, hydration)', url: /node_modules\/typeorm\// },
  {
    layer: 'JWT verify (passport, jsonwebtoken)',
    url: /node_modules\/(jsonwebtoken|jws|jwa|passport|passport-jwt|passport-strategy|@nestjs\/passport|safe-buffer|semver)\//,
  },
  {
    layer: 'logging (pino, nestjs-pino)',
    url: /node_modules\/(pino|pino-http|pino-std-serializers|nestjs-pino|sonic-boom|fast-redact|@pinojs\/redact|thread-stream|quick-format-unescaped|atomic-sleep|fast-safe-stringify)\//,
  },
  { layer: 'compression + helmet', url: /node_modules\/(compression|compressible|helmet|accepts|negotiator|vary|mime-db|on-headers|bytes)\// },
  { layer: 'validation (class-validator/transformer)', url: /node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)\// },
  {
    layer: 'Nest core (router, guards/pipes/interceptors runner)',
    url: /node_modules\/(@nestjs\/(core|common)|rxjs|reflect-metadata|tslib|iterare|path-to-regexp|fast-safe-stringify|uid|load-esm)\//,
  },
  {
    layer: 'Express (router, body-parser, response)',
    url: /node_modules\/(@nestjs\/platform-express|express|router|destroy|body-parser|raw-body|finalhandler|send|qs|on-finished|parseurl|content-type|type-is|etag|fresh|depd|encodeurl|escape-html|http-errors|statuses|proxy-addr|forwarded|ipaddr\.js|range-parser|cookie|merge-descriptors|iconv-lite|media-typer|mime-types|content-disposition|setprototypeof|inherits|side-channel|side-channel-[a-z]+|object-inspect|call-bound|get-intrinsic|debug|ms)\//,
  },
  { layer: 'app: auth guards + user lookup', url: /\/(apps\/api\/src\/(auth|users)|libs\/chat-domain\/src\/(auth|users))\// },
  { layer: 'app: chat module (services, repositories, mapping)', url: /\/libs\/chat-domain\/src\// },
  { layer: 'app: host (other)', url: /\/apps\/api\/src\// },
  { layer: 'Socket.IO request hook (engine.io)', url: /node_modules\/(engine\.io|socket\.io)\// },
  { layer: PROFILER, url: /^node:inspector$|bench\/lib\/cpu-profiler\.cjs$/ },
  { layer: 'Node HTTP, net, streams', url: /^node:/ },
];

/**
 * Node's file and buffer helpers work for whoever calls them (pino writes its lines with `fs.writeSync`):
 * they take the layer of their caller.
 */
const PASS_THROUGH = /^node:(fs|buffer|internal\/(fs|buffer|util|validators|errors))/;

const NATIVE_LAYERS: Record<string, string> = {
  '(garbage collector)': 'GC',
  '(program)': 'V8/native, unattributed',
  stringify: 'JSON.stringify',
  parse: 'JSON.parse',
};

const OTHER = 'other JS';

function layerOfUrl(url: string): string | null {
  if (!url || PASS_THROUGH.test(url)) return null;
  for (const { layer, url: pattern } of LAYERS) if (pattern.test(url)) return layer;
  return OTHER;
}

export interface Breakdown {
  busyMs: number;
  idleMs: number;
  profilerMs: number;
  layers: { layer: string; selfMs: number; selfShare: number; inclusiveShare: number }[];
  functions: { name: string; layer: string; selfMs: number }[];
}

export function analyse(profile: CpuProfile): Breakdown {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const functions = new Map<string, { name: string; layer: string; selfMs: number }>();
  let busyUs = 0;
  let idleUs = 0;
  let profilerUs = 0;
  // The attribution of a node is the same for every sample: cache it.
  const cache = new Map<number, { layer: string; stack: Set<string> }>();
  const attribute = (id: number) => {
    const cached = cache.get(id);
    if (cached) return cached;
    const leaf = byId.get(id)!;
    let layer = NATIVE_LAYERS[leaf.callFrame.functionName] && !leaf.callFrame.url ? NATIVE_LAYERS[leaf.callFrame.functionName] : null;
    const stack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)!.callFrame.url;
      // better-sqlite3's statements are native functions: called from its driver, that is the engine at work.
      if (!layer && !leaf.callFrame.url && /node_modules\/(typeorm\/driver\/better-sqlite3|better-sqlite3)\//.test(url)) layer = 'SQL: better-sqlite3';
      const frameLayer = layerOfUrl(url);
      if (!frameLayer) continue;
      stack.add(frameLayer);
      layer ??= frameLayer;
    }
    const result = { layer: layer ?? 'V8/native, unattributed', stack };
    stack.add(result.layer);
    cache.set(id, result);
    return result;
  };
  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    const { layer, stack } = attribute(id);
    if (layer === PROFILER) {
      profilerUs += us;
      return;
    }
    busyUs += us;
    self.set(layer, (self.get(layer) ?? 0) + us);
    for (const l of stack) inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    const frame = node.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|dist\/bench-api)\//, '')}`;
    const entry = functions.get(key) ?? { name: key, layer, selfMs: 0 };
    entry.selfMs += us / 1000;
    functions.set(key, entry);
  });
  const layers = [...new Set([...self.keys(), ...inclusive.keys()])]
    .map((layer) => ({
      layer,
      selfMs: (self.get(layer) ?? 0) / 1000,
      selfShare: (self.get(layer) ?? 0) / busyUs,
      inclusiveShare: (inclusive.get(layer) ?? 0) / busyUs,
    }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    profilerMs: profilerUs / 1000,
    layers,
    functions: [...functions.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, 15),
  };
}

/** The breakdown as a table; with `requests`, each layer's CPU ms per request too. */
export function renderBreakdown(title: string, breakdown: Breakdown, requests?: number): string {
  const perRequest = (ms: number) => (requests ? (ms / requests).toFixed(3) : '-');
  const lines = [
    `${title}: busy ${breakdown.busyMs.toFixed(0)} ms (profiler's own ${breakdown.profilerMs.toFixed(0)} ms left out), idle ${breakdown.idleMs.toFixed(0)} ms${requests ? `, ${requests} requests, ${perRequest(breakdown.busyMs)} CPU ms/request in JS threads` : ''}`,
    '| layer | self % | self ms/req | incl. % |',
    '| --- | ---: | ---: | ---: |',
    ...breakdown.layers.map((l) => `| ${l.layer} | ${(l.selfShare * 100).toFixed(1)} | ${perRequest(l.selfMs)} | ${(l.inclusiveShare * 100).toFixed(1)} |`),
    '',
    'top functions (self):',
    ...breakdown.functions.map((f) => `  ${((f.selfMs / breakdown.busyMs) * 100).toFixed(1).padStart(5)}%  ${f.name}  [${f.layer}]`),
  ];
  return lines.join('\n');
}

const API = '/api/support/chat';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function ask(child: ChildProcess, message: object): Promise<string> {
  return new Promise((resolve) => {
    const onMessage = (reply: unknown) => {
      if (!reply || typeof reply !== 'object' || !('cpuProfile' in reply)) return;
      child.off('message', onMessage);
      resolve(String((reply as { cpuProfile: unknown }).cpuProfile));
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function startProfiledServer(databaseUrl: string, logPath: string, main: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const logFd = openSync(logPath, 'a');
  const child = spawn(nodeBinary(), ['-r', join(__dirname, 'lib', 'cpu-profiler.cjs'), main], {
    cwd: REPO_ROOT,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: benchServerEnv(databaseUrl, port),
  });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited during start-up (log: ${logPath})`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, url };
    if (Date.now() - started > 60_000) throw new Error('server did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function login(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login ${username}: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * An open conversation other than the deep one and its candidate's username; how deep the deep one is, and
 * where staff 1's read marker stands in it (an earlier `npm run bench` run moves it).
 */
function openConversation(file: string): { id: string; username: string; deep: number; readerSeq: number } {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    const deep = db.prepare('SELECT last_message_seq AS seq FROM support_conversations WHERE id = ?').get(conversationId(0)) as { seq: number } | undefined;
    const reader = db
      .prepare('SELECT last_read_seq AS seq FROM support_conversation_participants WHERE conversation_id = ? AND user_id = ?')
      .get(conversationId(0), staffId(1)) as { seq: number } | undefined;
    const row = db
      .prepare(
        `SELECT c.id AS id, u.username AS username FROM support_conversations c JOIN users u ON u.id = c.candidate_user_id
         WHERE c.status = 'open' AND c.id <> ? ORDER BY c.id LIMIT 1`,
      )
      .get(conversationId(0)) as { id: string; username: string } | undefined;
    if (!row || !deep) throw new Error('no open conversation, or no deep conversation, in the database');
    return { ...row, deep: deep.seq, readerSeq: reader?.seq ?? 0 };
  } finally {
    db.close();
  }
}

async function profileRun(file: string, seconds: number, outDir: string, only: string[], main: string, profile = true): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const target = openConversation(file);
  const { child, url } = await startProfiledServer(`sqlite:${file}`, join(outDir, 'server.log'), main);
  try {
    const staff = await login(url, staffUsername(0));
    const candidate = await login(url, target.username);
    const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    const list = `${API}/conversations?page=1&per_page=20`;
    const etag = (await fetch(url + list, { headers: headers(staff) })).headers.get('etag') ?? '';
    const sendTo = `${API}/conversations/${target.id}/messages`;
    const freshSend = (client: AutocannonClient) => {
      const next = () =>
        client.setRequests([
          {
            method: 'POST',
            path: sendTo,
            headers: headers(candidate),
            body: JSON.stringify({ content: 'Hola, ¿me ayudan? 🚀', client_message_id: randomUUID() }),
          },
        ]);
      next();
      client.on('response', () => next());
    };
    // The marker moving on every request (lib/mark-read-moving.ts), as another agent.
    const markReadMoving = markDeepMessagesOneByOne(await login(url, staffUsername(1)), target.deep, target.readerSeq);
    const scenarios: {
      name: string;
      path: string;
      method?: 'GET' | 'POST';
      headers: Record<string, string>;
      body?: string;
      setupClient?: (c: AutocannonClient) => void;
      expected: number;
    }[] = [
      { name: 'history', path: `${API}/conversations/${conversationId(0)}/messages?page=1&per_page=50`, headers: headers(staff), expected: 200 },
      { name: 'list', path: list, headers: headers(staff), expected: 200 },
      { name: 'poll304', path: list, headers: { ...headers(staff), 'if-none-match': etag }, expected: 304 },
      { name: 'send', path: sendTo, method: 'POST', headers: headers(candidate), setupClient: freshSend, expected: 201 },
      { name: 'read', path: `${API}/conversations/${target.id}/read`, method: 'POST', headers: headers(candidate), body: '{}', expected: 200 },
      { name: 'read-moving', method: 'POST', headers: {}, ...markReadMoving, expected: 200 },
    ];
    for (const scenario of scenarios.filter((s) => only.length === 0 || only.includes(s.name))) {
      const path = join(outDir, `${scenario.name}.cpuprofile`);
      const result = await load({ ...scenario, url, pid: child.pid!, connections: 1, seconds, warmupSeconds: 2 }, async () => {
        if (!profile) return;
        const reply = await ask(child, { cpuProfile: 'start', intervalUs: 100 });
        if (reply !== 'started') throw new Error(reply);
      });
      if (profile) {
        const reply = await ask(child, { cpuProfile: 'stop', path });
        if (reply !== 'written') throw new Error(reply);
      }
      const unexpected = result.requests - (result.statuses[String(scenario.expected)] ?? 0);
      console.log(
        `\n${scenario.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, ${result.cpuMsPerRequest.toFixed(3)} CPU ms/request (process, /proc)` +
          (unexpected > 0 ? `; ${unexpected} UNEXPECTED statuses ${JSON.stringify(result.statuses)}` : ''),
      );
      if (profile) console.log(renderBreakdown(path, analyse(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile), result.requests));
    }
  } finally {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      seconds: { type: 'string', default: '5' },
      out: { type: 'string', default: join(REPO_ROOT, 'tmp', 'bench', 'profiles') },
      only: { type: 'string', default: '' },
      // Another build of the server (e.g. a copy of dist/bench-api made before a change), for A/B runs.
      server: { type: 'string', default: SERVER_MAIN },
      // Only the CPU per request from /proc, without the profiler's own cost.
      'cpu-only': { type: 'boolean', default: false },
    },
  });
  if (values.db) {
    // On a copy: the send and mark-read runs write.
    const source = values.db.replace(/^sqlite:/, '');
    const copy = join(values.out, 'profile.sqlite');
    mkdirSync(values.out, { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
    copyFileSync(source, copy);
    try {
      await profileRun(copy, Number(values.seconds), values.out, values.only ? values.only.split(',') : [], values.server, !values['cpu-only']);
    } finally {
      for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
    }
    return;
  }
  if (positionals.length === 0) throw new Error('give --db sqlite:<seeded file> or .cpuprofile files (see the header of bench/profile-layers.ts)');
  for (const file of positionals) console.log(`${renderBreakdown(file, analyse(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile))}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
