import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * wechaty loads gRPC when imported (0.5–2 s, and native modules): a process without the channel
 * must never load it. Only type imports may name it statically; the session imports it at run time.
 */

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('loading wechaty', () => {
  it('happens only through the dynamic import of the Wechaty session', () => {
    const staticImports = sources('src').flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^\s*(import|export)\s+(?!type\b)[^;]*?from\s+['"](wechaty[^'"]*)['"]/gm)].map((m) => `${file}: ${m[2]}`),
    );
    expect(staticImports).toEqual([]);
    const dynamic = sources('src').filter((file) => /await import\(['"]wechaty['"]\)/.test(readFileSync(file, 'utf8')));
    expect(dynamic).toEqual(['src/channels/wechaty/wechaty-session.ts']);
  });
});
