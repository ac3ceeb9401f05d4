// The import boundaries of ../shared/docs/architecture.md as lint rules (used by eslint.config.js, and by
// test/lint/import-boundaries.test.ts, which shows that a forbidden import fails the check).

const adapters = ['**/channels/**', '**/http/**'];

export const boundaries = [
  {
    // The pure core: no IO, no clock, no environment, and nothing of the layers above it.
    files: ['src/domain/**/*.ts', 'src/conversation/**/*.ts', 'src/commands/**/*.ts', 'src/calendar/working-day-calendar.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'better-sqlite3', 'ioredis', 'bullmq', 'fastify', 'drizzle-orm*'], message: 'The core is pure: no IO imports.' },
            { group: [...adapters, '**/app/**', '**/jobs/**'], message: 'The core imports only the core.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'The core does not read the environment.' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Time is a parameter in the core.' }],
    },
  },
  {
    // The application owns its ports (src/app/ports.ts): the adapters implement them, never the other way round.
    files: ['src/app/**/*.ts', 'src/jobs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: adapters, message: 'app/ and jobs/ import no adapter: use the ports in src/app/ports.ts.' }] }],
    },
  },
];
