import type { Config } from 'jest';

// Browser tests: the BUILT app (API + web on one port, `npm run build` first) driven in headless
// Chromium through playwright-core. Run with `npm run test:jest -- --selectProjects e2e`; add
// UPDATE_DOCS_SCREENSHOTS=1 to refresh the README screenshots in docs/screenshots/ (layout.e2e.spec.ts).
// Loaded by Node's type stripping as ESM: paths use <rootDir> (this folder), never __dirname.
const config: Config = {
  displayName: 'e2e',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.e2e.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  globalSetup: '<rootDir>/global-setup.ts',
  globalTeardown: '<rootDir>/global-teardown.ts',
};

export default config;
