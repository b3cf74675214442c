import { join } from 'node:path';

// The reporter is plain CommonJS so that jest can load it without a transform.
const { summarizeSkipped } = require(join(process.cwd(), 'scripts', 'jest-skipped-reporter.cjs')) as {
  summarizeSkipped: (files: { testFilePath: string; testResults: { status: string; title: string; ancestorTitles: string[] }[] }[]) => string[];
};

describe('the skipped-tests reporter', () => {
  const file = (name: string, tests: [status: string, ancestors: string[], title: string][]) => ({
    testFilePath: join(process.cwd(), name),
    testResults: tests.map(([status, ancestorTitles, title]) => ({ status, ancestorTitles, title })),
  });

  it('says which tests were skipped and why, by their skipped block', () => {
    expect(
      summarizeSkipped([
        file('libs/a.spec.ts', [
          ['pending', ['concurrency (needs PostgreSQL or MariaDB)'], 'one'],
          ['pending', ['concurrency (needs PostgreSQL or MariaDB)', 'inner'], 'two'],
          ['passed', ['other'], 'three'],
        ]),
        file('apps/b.spec.ts', [['pending', [], 'needs Redis on 127.0.0.1:6379']]),
      ]),
    ).toEqual([
      'Skipped 3 tests, and why:',
      '  libs/a.spec.ts: concurrency (needs PostgreSQL or MariaDB) (2 tests)',
      '  apps/b.spec.ts: needs Redis on 127.0.0.1:6379 (1 test)',
    ]);
  });

  it('prints nothing when nothing was skipped', () => {
    expect(summarizeSkipped([file('libs/a.spec.ts', [['passed', [], 'x']])])).toEqual([]);
  });
});
