/** Process sampling, HTTP load (autocannon) and small statistics helpers for the REST benchmarks. */
import { readFileSync } from 'node:fs';

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
  /** Requests per second over all connections (paced load); unlimited by default. */
  overallRate?: number;
  /** Per-connection setup (distinct senders and bodies). */
  setupClient?: (client: AutocannonClient) => void;
  /** Server process to sample. */
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
  rssMaxMb: number;
}

async function run(options: LoadOptions, seconds: number, record: boolean): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const before = processUsage(options.pid);
  let rssMaxMb = before.rssMb;
  const sampler = setInterval(() => {
    try {
      rssMaxMb = Math.max(rssMaxMb, processUsage(options.pid).rssMb);
    } catch {
      // the process is gone; the run will report errors
    }
  }, 200);
  const started = process.hrtime.bigint();
  const instance = autocannon({
    url: options.url + options.path,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: options.body } : {}),
    connections: options.connections,
    duration: seconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    ...(options.setupClient ? { setupClient: options.setupClient } : {}),
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (record) latencies.push(responseTime);
  });
  const result = await instance;
  clearInterval(sampler);
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const after = processUsage(options.pid);
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
    errors: result.errors + result.timeouts,
    cpuPercent: (cpuMs / elapsedMs) * 100,
    cpuMsPerRequest: requests > 0 ? cpuMs / requests : NaN,
    rssMaxMb,
  };
}

/** A warm-up run (discarded), then the measured run. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await run(options, options.warmupSeconds, false);
  return run(options, options.seconds, true);
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
