// The import boundaries of ../shared/docs/architecture.md as lint rules (used by eslint.config.js, and by
// test/lint/import-boundaries.test.ts, which shows that a forbidden import fails the check).
import tseslint from 'typescript-eslint';

const adapters = ['**/channels/**', '**/http/**'];

/** The channels under src/channels/; `wechat` is the toolkit they share, not a channel. */
const channels = ['official-account', 'wecom', 'mini-program', 'wechaty'];

/** What a channel may take from src/app/: its ports (src/app/ports.ts) and types; use cases reach it through ports. */
const appForChannels = {
  // Files, not folders: a file under an excluded folder could not be let through again.
  group: ['**/app/*.ts', '**/app/*/*.ts', '!**/app/ports.ts'],
  allowTypeImports: true,
  message: 'A channel takes from app/ only its ports (src/app/ports.ts) and types.',
};
const noHttp = { group: ['**/http/**'], message: 'Channels do not import http/: the routes in http/ import the channels.' };

/** Rules for the files of one channel folder (or the toolkit): no http, no sibling channel, app only through its ports. */
function channelRules(files, siblings, siblingMessage) {
  const patterns = [noHttp, appForChannels, ...(siblings.length ? [{ group: siblings.map((c) => `**/${c}/**`), message: siblingMessage }] : [])];
  return {
    files,
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

export const boundaries = [
  {
    // http/ is imported by http/ and the composition only (compose.ts, compose/, main.ts, cli/). First: the
    // entries below set the same rule for their folders with http/ among their own patterns.
    files: ['src/**/*.ts'],
    ignores: ['src/http/**', 'src/compose.ts', 'src/compose/**', 'src/main.ts', 'src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/http/**'], message: 'Only http/ and the composition import http/.' }] }],
    },
  },
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
  // Each channel: the toolkit, its ports, the core and storage — never a sibling channel, never http/.
  ...channels.map((channel) =>
    channelRules(
      [`src/channels/${channel}/**/*.ts`],
      channels.filter((c) => c !== channel),
      'A channel never imports a sibling channel: share through the WeChat toolkit (src/channels/wechat/) or a port.',
    ),
  ),
  // The WeChat toolkit serves every WeChat-family channel and knows none of them.
  channelRules(['src/channels/wechat/**/*.ts'], channels, 'The WeChat toolkit (src/channels/wechat/) imports no specific channel.'),
  channelRules(['src/channels/*.ts'], [], ''),
];
