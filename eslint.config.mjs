// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

import layers from './scripts/eslint/chat-domain-layers.cjs';
import noBenchmarkFiguresInComments from './scripts/eslint/no-benchmark-figures-in-comments.cjs';
/** The shared contract is reached only through its alias, never by path or into its files. */
const CONTRACT_ALIAS_ONLY = {
  group: ['**/libs/chat-contract', '**/libs/chat-contract/**', '**/chat-contract/src', '**/chat-contract/src/**', '@support-chat/chat-contract/*'],
  message: "Import the shared contract as '@support-chat/chat-contract' (and with `import type`: it has types only).",
};

/** libs/chat-contract is types only and imports nothing but its own files. */
const CONTRACT_TYPES_ONLY = [
  {
    selector: ':matches(ImportDeclaration, ExportAllDeclaration, ExportNamedDeclaration)[source.value=/^(?!\\.\\/)/]',
    message: 'libs/chat-contract imports nothing: it is the wire contract both sides depend on.',
  },
  {
    selector:
      ':matches(Program, ExportNamedDeclaration, ExportDefaultDeclaration) > :matches(VariableDeclaration, FunctionDeclaration, ClassDeclaration, TSEnumDeclaration, ExpressionStatement)',
    message: 'libs/chat-contract holds types only (no values): use a type or an interface.',
  },
];

/** Imports that would make the chat domain depend on a host: it must stay embeddable anywhere. */
const DOMAIN_BOUNDARY = {
  patterns: [
    CONTRACT_ALIAS_ONLY,
    {
      group: ['**/apps/**', '@support-chat/api', '@support-chat/api/*'],
      message: 'libs/chat-domain must not import from apps/: the chat knows nothing of its host.',
    },
    { group: ['**/libs/chat-domain/src/**'], message: 'Import the chat domain through its public entry point.' },
    {
      group: ['express', 'fastify', '@nestjs/platform-express', '@nestjs/platform-fastify', '@fastify/*'],
      message: 'libs/chat-domain runs on either Nest HTTP adapter: use the calls of src/http/http-response.ts, not Express or Fastify.',
    },
  ],
};

/** Apps use the library's public entry point, never its files by relative path. */
const APP_BOUNDARY = {
  patterns: [CONTRACT_ALIAS_ONLY, { group: ['**/libs/**', '@support-chat/chat-domain/*'], message: "Import the chat domain as '@support-chat/chat-domain'." }],
};

const TO_OBSERVABLE_OF_OTHER_STATE = {
  selector: "CallExpression[callee.name='toObservable'] > MemberExpression.arguments[object.type='MemberExpression']",
  message: "No toObservable() of another object's signal (a store's state): subscribe to the store's change events instead.",
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'tmp/**',
      '.angular/**',
      'apps/web/src/app/api/**',
      '**/*.mjs',
      '**/*.mts',
      '**/*.js',
      '**/*.cjs',
      '**/jest.config.ts',
      'jest.preset.ts',
      'jest.setup.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Measured figures go stale in comments; they live, dated, in docs/performance-log.md.
    files: ['libs/**/*.ts', 'apps/*/src/**/*.ts'],
    plugins: { 'support-chat': { rules: { 'no-benchmark-figures-in-comments': noBenchmarkFiguresInComments } } },
    rules: { 'support-chat/no-benchmark-figures-in-comments': 'error' },
  },
  {
    files: ['libs/chat-domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', DOMAIN_BOUNDARY] },
  },
  // Layers inside the domain (see scripts/eslint/chat-domain-layers.cjs); each keeps the boundary above.
  ...layers.LAYER_ZONES.map((zone) => ({
    files: zone.files,
    ignores: zone.ignores ?? [],
    rules: { 'no-restricted-imports': ['error', { patterns: [...DOMAIN_BOUNDARY.patterns, ...zone.patterns], paths: zone.paths ?? [] }] },
  })),
  {
    // toObservable() runs an effect: subscribing to another object's signal (`this.store.value`) and
    // writing what it sees into a store is the same copy. Stores announce changes as events
    // (`arrivals$`, `conversationChanged$`) instead. A component's own signal (`this.search`) is fine.
    files: ['apps/web/src/**/*.ts'],
    ignores: ['apps/web/src/**/*.spec.ts'],
    rules: { 'no-restricted-syntax': ['error', TO_OBSERVABLE_OF_OTHER_STATE] },
  },
  {
    // Stores derive state with computed() and load it with rxMethod/switchMap; an effect() that copies
    // one signal into another is the pattern angular.dev's effect guide warns against. Effects that
    // sync with non-reactive APIs belong in components or services, not in stores.
    files: ['apps/web/src/**/*.store.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='effect']", message: 'No effect() in stores: derive with computed(), load with rxMethod.' },
        { selector: "ImportSpecifier[imported.name='effect']", message: 'No effect() in stores: derive with computed(), load with rxMethod.' },
        TO_OBSERVABLE_OF_OTHER_STATE,
      ],
    },
  },
  {
    files: ['libs/chat-domain/test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: DOMAIN_BOUNDARY.patterns.slice(0, 2) }] },
  },
  {
    files: ['apps/web/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CONTRACT_ALIAS_ONLY] }] },
  },
  {
    files: ['libs/chat-contract/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...CONTRACT_TYPES_ONLY] },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', APP_BOUNDARY] },
  },
  {
    // Tests assert on loosely typed HTTP bodies; requiring types there adds noise, not safety.
    // Benchmarks may also reach into the library's test kits: they are tooling, not a host.
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/testing/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'apps/web/e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
