import type { Config } from 'jest';

// Aggregates the per-project configs; each project owns its transform and environment.
const config: Config = {
  projects: ['<rootDir>/libs/chat-domain', '<rootDir>/apps/api', '<rootDir>/apps/web', '<rootDir>/apps/web/e2e', '<rootDir>/scripts/eslint'],
};

export default config;
