import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMiniProgramTemplates } from '../../../src/channels/mini-program/mini-program-outbound.ts';

/** The mini-program's subscribe templates file: the Official Account's format, subscribe messages only. */

const dir = join(process.cwd(), '.tmp', `mp-templates-${process.pid}`);
mkdirSync(dir, { recursive: true });
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('readMiniProgramTemplates', () => {
  it('reads the example file, and nothing when no file is configured', () => {
    const specs = readMiniProgramTemplates('data/wechat-mp-templates.example.yaml');
    expect(specs.map((s) => [s.kinds, s.page])).toEqual([[['default'], 'pages/errands/index']]);
    expect(readMiniProgramTemplates(null)).toEqual([]);
  });

  it('refuses template messages and Official Account mini-program links, naming each problem', () => {
    const path = file(
      'wrong.yaml',
      `template_messages:
  - kinds: [default]
    template_id: T1
    fields: { thing1: { type: thing, source: text } }
subscribe_messages:
  - kinds: [default]
    template_id: S1
    miniprogram: { appid: wxa1b2c3d4e5f60718, pagepath: pages/index }
    fields: { thing1: { type: thing, source: text } }
`,
    );
    expect(() => readMiniProgramTemplates(path)).toThrow(
      /template_messages: a mini-program has no template messages[\s\S]*subscribe_messages\.0\.miniprogram: use page/,
    );
  });

  it("reports the format's own problems with the file name", () => {
    const path = file('bad.yaml', 'subscribe_messages:\n  - kinds: [default]\n    template_id: S1\n    fields: { thing1: { type: colour, source: text } }\n');
    expect(() => readMiniProgramTemplates(path)).toThrow(/bad\.yaml does not validate:[\s\S]*fields\.thing1\.type/);
  });
});
