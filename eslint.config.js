import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  // Plain Node scripts (not type-checked): Node's globals.
  { files: ['**/*.mjs', 'bin/**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
    files: ['src/api/**/*.ts', 'src/cli/**/*.ts', 'src/server.ts', 'src/**/*.test.ts', 'bench/**/*.ts'],
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
