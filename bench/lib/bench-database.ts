import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { newPgClient } from './pg';
import { REPO_ROOT } from './server-build';

const WORK_DIR = join(REPO_ROOT, 'tmp', 'bench');

/**
 * The database a benchmark seeds, or with `reuse` the one a previous `--reuse` run seeded and kept (SQLite:
 * `tmp/bench/<label>.sqlite`; PostgreSQL: the database `chat_bench_<label>`), so seeding happens once.
 * Without `reuse` it starts empty and `drop()` removes it.
 */
export async function benchDatabase(kind: string, label: string, reuse: boolean): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    mkdirSync(WORK_DIR, { recursive: true });
    const path = join(WORK_DIR, `${label}.sqlite`);
    const remove = () => ['', '-wal', '-shm'].forEach((suffix) => rmSync(path + suffix, { force: true }));
    if (!reuse) remove();
    return { url: `sqlite:${path}`, drop: async () => (reuse ? undefined : remove()) };
  }
  const admin = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = reuse ? `chat_bench_${label}` : `chat_bench_${process.pid}_${label}`;
  const run = async (sql: string) => {
    const client = newPgClient(admin);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const url = new URL(admin);
  url.pathname = `/${name}`;
  if (reuse) {
    await run(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
      if (error.code !== '42P04') throw error; // already there: reuse it
    });
    return { url: url.toString(), drop: async () => undefined };
  }
  await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await run(`CREATE DATABASE "${name}"`);
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
