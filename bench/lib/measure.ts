/** Process sampling, HTTP load (autocannon, or an open-loop paced generator) and small statistics helpers for the REST benchmarks. */
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';

const autocannon = require('autocannon') as (options: Record<string, unknown>) => AutocannonInstance;

interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): void;
}
interface AutocannonResult {
  errors: number;
  timeouts: number;
  duration: number;
  requests: { total: number; average: number };
}

export interface AutocannonClient {
  setRequests(requests: { method?: string; path?: string; headers?: Record<string, string>; body?: string }[]): void;
  on(event: 'response', listener: (statusCode: number, bytes: number, responseTime: number) => void): void;
}

/** CPU time (ms, user + system) and resident memory (MB) of a process, from /proc. */
export function processUsage(pid: number): { cpuMs: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", fields[0] is field 3 (state): utime is field 14, stime field 15 (clock ticks).
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS, rssMb: rssKb / 1024 };
}
/** `getconf CLK_TCK` is 100 on every Linux the benchmarks run on. */
const CLOCK_TICKS = 100;

/** CPU time (clock ticks) of each of this machine's PostgreSQL server processes (postmaster, backends, workers), from /proc. */
export function postgresCpuTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // the process ended between the listing and the read
    }
  }
  return ticks;
}

/**
 * PostgreSQL's CPU (ms) between two `postgresCpuTicks` snapshots: per process, so that one that ended
 * meanwhile (an autovacuum worker) does not subtract its whole life; what it used in between is lost.
 */
function postgresCpuMsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, total] of after) ticks += total - (before.get(pid) ?? 0);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** CPU time (ms) of this process: the load generator itself. */
function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function median(values: number[]): number {
  return percentile(Float64Array.from(values).sort(), 50);
}

export interface LoadOptions {
  url: string;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Per-connection setup (distinct senders and bodies). */
  setupClient?: (client: AutocannonClient) => void;
  /** Server process to sample. */
  pid: number;
}

/** One request of a paced run. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PacedLoadOptions {
  url: string;
  /** Keep-alive connections (one per simulated client or sender); request i goes to connection i % connections. */
  connections: number;
  /** Requests per second over all connections, evenly spaced. */
  rate: number;
  seconds: number;
  warmupSeconds: number;
  /** The next request of a connection (called when it is due). */
  request: (connection: number) => RequestSpec;
  pid: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  errors: number;
  cpuPercent: number;
  cpuMsPerRequest: number;
  /** The load generator's own CPU per request (it shares the machine's cores with the server). */
  generatorCpuMsPerRequest: number;
  /** The local PostgreSQL server's CPU per request (0 when the run does not use it). */
  postgresCpuMsPerRequest: number;
  rssMaxMb: number;
  /** Paced runs: p99 of how late the generator sent a request after its due time (its own lag, ms). */
  sendLagP99?: number;
}

interface Recorder {
  record(statusCode: number, latencyMs: number): void;
}

/** Samples the server's CPU and peak RSS around `drive`, which records every response. */
async function measured(pid: number, record: boolean, drive: (recorder: Recorder) => Promise<{ errors: number; sendLagP99?: number }>): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const before = processUsage(pid);
  const generatorBefore = ownCpuMs();
  const postgresBefore = postgresCpuTicks();
  let rssMaxMb = before.rssMb;
  const sampler = setInterval(() => {
    try {
      rssMaxMb = Math.max(rssMaxMb, processUsage(pid).rssMb);
    } catch {
      // the process is gone; the run will report errors
    }
  }, 200);
  const started = process.hrtime.bigint();
  const { errors, sendLagP99 } = await drive({
    record(statusCode, latencyMs) {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (record) latencies.push(latencyMs);
    },
  }).finally(() => clearInterval(sampler));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const after = processUsage(pid);
  const generatorCpuMs = ownCpuMs() - generatorBefore;
  const postgresCpu = postgresCpuMsBetween(postgresBefore, postgresCpuTicks());
  rssMaxMb = Math.max(rssMaxMb, after.rssMb);
  const sorted = Float64Array.from(latencies).sort();
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  const cpuMs = after.cpuMs - before.cpuMs;
  return {
    requests,
    seconds: elapsedMs / 1000,
    rps: requests / (elapsedMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    statuses,
    errors,
    cpuPercent: (cpuMs / elapsedMs) * 100,
    cpuMsPerRequest: requests > 0 ? cpuMs / requests : NaN,
    generatorCpuMsPerRequest: requests > 0 ? generatorCpuMs / requests : NaN,
    postgresCpuMsPerRequest: requests > 0 ? postgresCpu / requests : NaN,
    rssMaxMb,
    ...(sendLagP99 !== undefined ? { sendLagP99 } : {}),
  };
}

/** Closed loop (autocannon): every connection sends its next request as soon as the last is answered. */
function run(options: LoadOptions, seconds: number, record: boolean): Promise<LoadResult> {
  return measured(options.pid, record, async (recorder) => {
    const instance = autocannon({
      url: options.url + options.path,
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      ...(options.body !== undefined ? { body: options.body } : {}),
      connections: options.connections,
      duration: seconds,
      ...(options.setupClient ? { setupClient: options.setupClient } : {}),
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => recorder.record(statusCode, responseTime));
    const result = await instance;
    return { errors: result.errors + result.timeouts };
  });
}

/**
 * Open loop: request i is due at i / rate seconds, whatever the server does, and its latency is counted
 * from that moment, so time spent queued behind a slow answer counts (no coordinated omission). Why not
 * autocannon's `overallRate`: it lets each connection send its whole second's quota back to back at the
 * top of every second and then pause, which is a closed-loop burst, not a rate (its latency is then
 * connections / capacity by Little's law).
 */
function runPaced(options: PacedLoadOptions, seconds: number, record: boolean): Promise<LoadResult> {
  const target = new URL(options.url);
  // One agent per connection with one socket: a connection's requests go out in order, as a client's would.
  const agents = Array.from({ length: options.connections }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const total = Math.max(1, Math.round(options.rate * seconds));
  const intervalMs = 1000 / options.rate;
  return measured(options.pid, record, (recorder) => {
    const start = performance.now();
    let issued = 0;
    let settled = 0;
    let errors = 0;
    const lags = new Float64Array(total);
    return new Promise<{ errors: number; sendLagP99: number }>((resolve) => {
      const settle = () => {
        if (++settled === total) {
          agents.forEach((agent) => agent.destroy());
          resolve({ errors, sendLagP99: percentile(lags.sort(), 99) });
        }
      };
      const fire = (index: number) => {
        const due = start + index * intervalMs;
        lags[index] = performance.now() - due;
        const spec = options.request(index % options.connections);
        const headers = spec.body === undefined ? spec.headers : { ...spec.headers, 'content-length': String(Buffer.byteLength(spec.body)) };
        // Settled exactly once: on the whole response, or as an error (including a connection that
        // closes mid-body, which fires neither 'end' nor 'error').
        let done = false;
        const finish = (statusCode: number | null) => {
          if (done) return;
          done = true;
          if (statusCode === null) errors++;
          else recorder.record(statusCode, performance.now() - due);
          settle();
        };
        const outgoing = httpRequest(
          { host: target.hostname, port: target.port, method: spec.method, path: spec.path, headers, agent: agents[index % options.connections] },
          (response) => {
            response.resume();
            response.on('end', () => finish(response.statusCode ?? 0));
            response.on('error', () => finish(null));
          },
        );
        outgoing.setTimeout(30_000, () => outgoing.destroy(new Error('timeout')));
        outgoing.on('error', () => finish(null));
        outgoing.on('close', () => finish(null));
        outgoing.end(spec.body);
      };
      const tick = () => {
        const now = performance.now();
        while (issued < total && start + issued * intervalMs <= now) fire(issued++);
        if (issued < total) setTimeout(tick, Math.max(0, start + issued * intervalMs - performance.now()));
      };
      tick();
    });
  });
}

/** A warm-up run (discarded), then the measured run; `beforeMeasured` runs between the two. */
export async function load(options: LoadOptions, beforeMeasured?: () => Promise<unknown>): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await run(options, options.warmupSeconds, false);
  await beforeMeasured?.();
  return run(options, options.seconds, true);
}

/** A paced warm-up run (discarded), then the measured paced run; `beforeMeasured` runs between the two. */
export async function pacedLoad(options: PacedLoadOptions, beforeMeasured?: () => Promise<unknown>): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await runPaced(options, options.warmupSeconds, false);
  await beforeMeasured?.();
  return runPaced(options, options.seconds, true);
}

/** Runs `work` repeatedly for about `budgetMs` (at least `minRuns` times); the median run in ms. */
export async function timeRepeatedly(work: () => unknown, budgetMs: number, minRuns = 20): Promise<{ median: number; p99: number; runs: number }> {
  for (let i = 0; i < 5; i++) await work(); // warm-up: statement caches, page cache
  const times: number[] = [];
  const deadline = performance.now() + budgetMs;
  while (times.length < minRuns || performance.now() < deadline) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
    if (times.length >= 100_000) break;
  }
  const sorted = Float64Array.from(times).sort();
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99), runs: times.length };
}
