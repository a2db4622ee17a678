import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

const ENV_MESSAGE = 'Read the environment only in src/services/settings.ts (readSettings): add a Settings field and pass it.';

// Errors are told apart by class or code (src/engine/errors.ts), never by their text. The few
// third-party errors that carry no code (Redis replies, busboy, secure-json-parse) say so where read.
const ERROR_TEXT_MESSAGE = 'Classify errors by class or code (WeftError), not by message text.';
const NO_ERROR_TEXT_MATCHING = [
  { selector: "CallExpression[callee.object.property.name='message'][callee.property.name=/^(includes|startsWith|endsWith|match|search|indexOf)$/]", message: ERROR_TEXT_MESSAGE },
  { selector: "CallExpression[callee.property.name=/^(test|exec)$/] > MemberExpression.arguments[property.name='message']", message: ERROR_TEXT_MESSAGE },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  // Plain Node scripts (not type-checked): Node's globals.
  { files: ['**/*.mjs', 'bin/**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Regular expressions that backtrack super-linearly on crafted input stalled the event loop (docs/security.md).
  {
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-misleading-capturing-group': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
  // Tests match their own fixtures and outputs, never a stranger's input.
  { files: ['**/*.test.ts', 'test/**/*.ts'], rules: { 'regexp/no-super-linear-move': 'off' } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/api/**', '../api/*'], message: 'Nothing imports the api layer.' }] },
      ],
    },
  },
  {
    files: ['src/api/**/*.ts', 'src/cli/**/*.ts', 'src/server.ts', 'src/**/*.test.ts', 'bench/**/*.ts', 'test/**/*.ts', 'ui/test/**/*.ts', 'test-utils/job-processes.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  // Settings are read in one place, `readSettings` (src/services/settings.ts); everything else is handed
  // them (or the one value it needs), so the environment cannot change behaviour behind the settings' back.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/services/settings.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: ENV_MESSAGE },
        { object: 'globalThis', property: 'process', message: ENV_MESSAGE },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value=/^(node:)?process$/] > :matches(ImportSpecifier[imported.name='env'], ImportNamespaceSpecifier)", message: ENV_MESSAGE },
        ...NO_ERROR_TEXT_MATCHING,
      ],
    },
  },
  // (One rule per file: settings.ts, which may read the environment, still may not match error text.)
  { files: ['src/services/settings.ts'], rules: { 'no-restricted-syntax': ['error', ...NO_ERROR_TEXT_MATCHING] } },
  // The browser app: browser globals; its `ui/src/api/` is its own client of the HTTP API, not the server's api layer.
  {
    files: ['ui/**/*.{ts,tsx}'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', console: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/api/**', '**/services/**', '**/components/**', 'fastify', 'kysely', 'pg', 'better-sqlite3', 'ioredis', 'bullmq'], message: 'The engine knows nothing of HTTP, databases or concrete components.' },
          ],
        },
      ],
    },
  },
);
