import type { Config } from 'jest';

/**
 * Shared settings for the Node-side jest projects (API host and chat domain).
 * Paths are relative to each project's own folder (`<rootDir>`), two levels below the repo root.
 */
export function nodeProject(displayName: string): Config {
  return {
    displayName,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/**/*.spec.ts'],
    moduleFileExtensions: ['ts', 'js', 'json'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../../tsconfig.spec.json' }],
    },
    moduleNameMapper: {
      '^@support-chat/chat-domain$': '<rootDir>/../../libs/chat-domain/src',
      '^@support-chat/chat-domain/(.*)$': '<rootDir>/../../libs/chat-domain/src/$1',
      '^@support-chat/chat-contract$': '<rootDir>/../../libs/chat-contract/src',
    },
    setupFiles: ['<rootDir>/../../jest.setup.ts'],
    // A timeout only catches a hung test. These tests boot apps and walk every endpoint against real
    // databases; on a loaded 2-core machine jest's 5 s default failed tests that were merely slow.
    testTimeout: 30_000,
  };
}
