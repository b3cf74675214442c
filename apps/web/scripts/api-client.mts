/**
 * Generates the web app's HTTP client from the committed `openapi.json`, or checks that the
 * committed client is up to date with it.
 *
 *   node apps/web/scripts/api-client.mts generate   # writes apps/web/src/app/api
 *   node apps/web/scripts/api-client.mts check      # regenerates into a temp dir and diffs
 *
 * Run from the repository root (the npm scripts `client:generate` / `client:check` do).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const CONFIG = 'apps/web/ng-openapi-gen.json';
const config = JSON.parse(readFileSync(CONFIG, 'utf8')) as { input: string; output: string };
const generatorBin = createRequire(import.meta.url).resolve('ng-openapi-gen/lib/index.js');

function fail(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

function generate(output: string): void {
  if (!existsSync(config.input)) {
    fail(`${config.input} not found. Produce it with \`npm run openapi:generate\` first.`);
  }
  const result = spawnSync(process.execPath, [generatorBin, '--config', CONFIG, '--output', output], {
    stdio: 'inherit',
  });
  if (result.status !== 0) fail(`ng-openapi-gen failed (exit code ${result.status ?? 'unknown'}).`);
}

function listFiles(root: string, dir = root): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(root, path) : [relative(root, path)];
  });
}

function check(): void {
  const temp = mkdtempSync(join(tmpdir(), 'web-api-client-'));
  try {
    generate(temp);
    const expected = new Set(listFiles(temp));
    const actual = new Set(listFiles(config.output));
    const drift: string[] = [];
    for (const file of expected) {
      if (!actual.has(file)) drift.push(`missing   ${file}`);
      else if (readFileSync(join(temp, file), 'utf8') !== readFileSync(join(config.output, file), 'utf8')) {
        drift.push(`outdated  ${file}`);
      }
    }
    for (const file of actual) if (!expected.has(file)) drift.push(`stale     ${file}`);
    if (drift.length > 0) {
      fail(
        [
          `The generated API client in ${config.output} does not match ${config.input}:`,
          ...drift.map((line) => `  ${line}`),
          '',
          'Run `npm run client:generate` and commit the result (never edit the generated files by hand).',
        ].join('\n'),
      );
    }
    console.log(`API client in ${config.output} is up to date with ${config.input} (${expected.size} files).`);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

const command = process.argv[2];
if (command === 'generate') {
  generate(config.output);
  console.log(`Generated the API client in ${config.output} from ${config.input}.`);
} else if (command === 'check') {
  check();
} else {
  fail('Usage: node apps/web/scripts/api-client.mts <generate|check>');
}
