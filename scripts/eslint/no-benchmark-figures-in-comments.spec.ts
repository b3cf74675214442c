import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

import { Rule, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';

// The rule is CommonJS so that both eslint.config.mjs and this (CommonJS) test can load it.
const rule = require('./no-benchmark-figures-in-comments.cjs') as Rule.RuleModule;

const REPO_ROOT = resolve(__dirname, '..', '..');

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

describe('no-benchmark-figures-in-comments', () => {
  tester.run('no-benchmark-figures-in-comments', rule, {
    valid: [
      // Figures in code and strings are values, not comments.
      "const COMMIT_GATHER_MS = 2; setTimeout(run, 200); const label = '5 ms';",
      'const text = `took ${ms} ms at 1,000 msg/s`;',
      // Words, constant names, seconds, sizes and identifiers that merely contain a unit.
      '// waits up to `COMMIT_GATHER_MS` for company, like commit_delay',
      '/** Back-off 1 s, 2 s, 4 s ... 30 s; 16 MB of WAL with 4 KB pages. */ const x = 1;',
      '// gatherMs, intervalMs, 2msecs are not figures; neither is v24 or es2023 or a 5-minute run',
      '// the 10ms_window variable and sha256 hashes; HTTP 304 answers',
    ],
    invalid: [
      { code: '// costs ~0.25 ms of each request', errors: [{ messageId: 'figure', data: { figure: '0.25 ms' }, line: 1, column: 11 }] },
      { code: '/* takes 130ms */ const a = 1;', errors: [{ messageId: 'figure', data: { figure: '130ms' } }] },
      { code: '// 0.90-0.93 CPU ms per message', errors: [{ messageId: 'figure', data: { figure: '0.93 CPU ms' } }] },
      {
        code: '// 620 µs each, 5 ns',
        errors: [
          { messageId: 'figure', data: { figure: '620 µs' } },
          { messageId: 'figure', data: { figure: '5 ns' } },
        ],
      },
      {
        code: '// at 1,000 msg/s and 7,055 req/s',
        errors: [
          { messageId: 'figure', data: { figure: '1,000 msg/s' } },
          { messageId: 'figure', data: { figure: '7,055 req/s' } },
        ],
      },
      { code: '// writes 80 MB/s', errors: [{ messageId: 'figure', data: { figure: '80 MB/s' } }] },
      // Configured durations too: the constant's name says it without going stale.
      { code: 'const x = 1; // checkpoints every 200 ms', errors: [{ messageId: 'figure', data: { figure: '200 ms' }, line: 1, column: 35 }] },
      {
        code: 'const x = 1;\n/**\n * p99 226-307 ms\n */',
        errors: [{ messageId: 'figure', data: { figure: '307 ms' }, line: 3, column: 12 }],
      },
    ],
  });

  // The rule is only worth something if `npm run lint` applies it where code comments live.
  it.each([
    'libs/chat-domain/src/persistence/chat-transactions.ts',
    'libs/chat-domain/test/validation.spec.ts',
    'apps/api/src/main.ts',
    'apps/web/src/main.ts',
  ])('is an error in the lint configuration for %s', (file) => {
    const eslint = join(REPO_ROOT, 'node_modules', '.bin', 'eslint');
    const result = spawnSync(eslint, ['--print-config', file], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const config = JSON.parse(result.stdout) as { rules: Record<string, unknown> };
    expect(config.rules['support-chat/no-benchmark-figures-in-comments']).toEqual([2]);
  });
});
