import type { Config } from 'jest';
import presets from 'jest-preset-angular/presets/index.js';

// The web app's jest project: Angular components and services under jsdom, zoneless like the app.
// Angular ships ESM only and the root `npm test` runs jest with --experimental-vm-modules, so the
// tests run as native ES modules (jest-preset-angular's ESM preset; use `import { jest } from
// '@jest/globals'` in specs). Loaded by Node's type stripping as ESM: paths use <rootDir>
// (this folder), never __dirname.
const preset = presets.createEsmPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' });

const config: Config = {
  displayName: 'web',
  ...preset,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  setupFiles: ['<rootDir>/src/test-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^@app/(.*)$': '<rootDir>/src/app/$1',
    '^@testing/(.*)$': '<rootDir>/src/testing/$1',
    '^@support-chat/chat-contract$': '<rootDir>/../../libs/chat-contract/src',
  },
};

export default config;
