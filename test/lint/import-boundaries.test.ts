import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaries } from '../../eslint.boundaries.js';

/** The import boundaries `npm run check` enforces (eslint.boundaries.js): a forbidden import fails. */

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries],
});

const problems = async (file: string, code: string) =>
  (await eslint.lintText(code, { filePath: resolve(file) }))[0]?.messages.map((m) => `${m.ruleId ?? ''}: ${m.message}`) ?? [];

describe('import boundaries', () => {
  it('refuse an adapter in app/ and jobs/', async () => {
    expect(await problems('src/app/some-use-case.ts', "import { createSimulatorChannel } from '../channels/simulator-channel.ts';\n")).toEqual([
      expect.stringContaining('no-restricted-imports: ') as string,
    ]);
    expect((await problems('src/jobs/some-job.ts', "import { buildServer } from '../http/build-server.ts';\n")).join()).toContain(
      'use the ports in src/app/ports.ts',
    );
  });

  it('refuse IO and the layers above in the core', async () => {
    expect((await problems('src/conversation/x.ts', "import { readFileSync } from 'node:fs';\n")).join()).toContain('The core is pure');
    expect((await problems('src/domain/x.ts', "import { fileErrand } from '../app/file-errand.ts';\n")).join()).toContain('The core imports only the core');
    expect((await problems('src/domain/x.ts', 'export const t = Date.now();\n')).join()).toContain('Time is a parameter');
  });

  it('refuse a sibling channel, http/ and app/ beyond its ports in a channel', async () => {
    expect((await problems('src/channels/wecom/x.ts', "import { createAccessTokens } from '../official-account/custom-menu.ts';\n")).join()).toContain(
      'never imports a sibling channel',
    );
    expect((await problems('src/channels/mini-program/x.ts', "import { WECOM_CHANNEL } from '../wecom/app-message-channel.ts';\n")).join()).toContain(
      'never imports a sibling channel',
    );
    expect((await problems('src/channels/wechat/x.ts', "import { parsePush } from '../official-account/xml-message.ts';\n")).join()).toContain(
      'imports no specific channel',
    );
    expect((await problems('src/channels/official-account/x.ts', "import { buildServer } from '../../http/build-server.ts';\n")).join()).toContain(
      'Channels do not import http/',
    );
    expect((await problems('src/channels/wecom/x.ts', "import { fileErrand } from '../../app/file-errand.ts';\n")).join()).toContain('only its ports');
    // The use cases channels once called directly now reach them through ports.
    expect((await problems('src/channels/wechaty/x.ts', "import { redeemBindCode } from '../../app/bind-codes.ts';\n")).join()).toContain('only its ports');
    expect((await problems('src/channels/official-account/x.ts', "import { createPhotoLibrary } from '../../app/photo-library.ts';\n")).join()).toContain(
      'only its ports',
    );
  });

  it('refuse http/ outside http/ and the composition', async () => {
    expect((await problems('src/db/x.ts', "import { BODY_LIMIT } from '../http/build-server.ts';\n")).join()).toContain('Only http/ and the composition');
    expect(await problems('src/compose.ts', "import { buildServer } from './http/build-server.ts';\n")).toEqual([]);
  });

  it('let the allowed imports through', async () => {
    expect(
      await problems('src/app/some-use-case.ts', "import type { OutboundChannel } from './ports.ts';\nimport { maskName } from '../domain/masking.ts';\n"),
    ).toEqual([]);
    expect(await problems('src/channels/x.ts', "import type { OutboundChannel } from '../app/ports.ts';\n")).toEqual([]);
    expect(
      await problems(
        'src/channels/wecom/x.ts',
        "import { PermanentDeliveryError } from '../../app/ports.ts';\nimport type { DirectoryCache } from '../../app/directory.ts';\nimport { ruleOf } from '../wechat/errcode-policy.ts';\nimport { errandById } from '../../db/errand-queries.ts';\n",
      ),
    ).toEqual([]);
    expect(await problems('src/http/routes/x.ts', "import { parsePush } from '../../channels/official-account/xml-message.ts';\n")).toEqual([]);
  });
});
