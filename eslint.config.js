// Lint rules for the whole project: typescript-eslint's type-aware recommended set, plus the
// house rules of ../shared/docs/architecture.md that a linter can check.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '.tmp/', 'src/db/migrations/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // Fastify handlers and hooks are async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The pure core: no IO, no clock, no environment.
    files: ['src/domain/**/*.ts', 'src/conversation/**/*.ts', 'src/calendar/working-day-calendar.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'better-sqlite3', 'ioredis', 'bullmq', 'fastify', 'drizzle-orm*'], message: 'The core is pure: no IO imports.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'The core does not read the environment.' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Time is a parameter in the core.' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
);
