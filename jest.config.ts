import type { Config } from 'jest';

// Aggregates the per-project configs; each project owns its transform and environment.
const config: Config = {
  projects: ['<rootDir>/libs/chat-domain', '<rootDir>/apps/api', '<rootDir>/apps/web', '<rootDir>/apps/web/e2e', '<rootDir>/scripts/eslint'],
  // jest only counts skipped tests; this one says which and why.
  reporters: ['default', '<rootDir>/scripts/jest-skipped-reporter.cjs'],
};

export default config;
