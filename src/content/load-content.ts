import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { flowSchema, intentsFileSchema, type Flow, type Intent } from '../conversation/flow-schema.ts';
import { createTemplateSet, type TemplateSet } from '../conversation/templates.ts';

/**
 * Reads the conversation content from disk: `flows/*.yaml` (and `flows/intents.yaml`) and
 * `templates/<locale>/<area>.yaml`, whose keys become `<area>.<key>`. Every file is checked
 * against its schema; all problems are reported together.
 */

export interface Content {
  flows: Map<string, Flow>;
  intents: Intent[];
  templates: TemplateSet;
}

const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort();

const templateFileSchema = z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.string());

export function loadContent(root: { flowsDir: string; templatesDir: string }): Content {
  const problems: string[] = [];
  const flows = new Map<string, Flow>();
  let intents: Intent[] = [];

  for (const name of yamlFiles(root.flowsDir)) {
    const file = join(root.flowsDir, name);
    let raw: unknown;
    try {
      raw = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
      continue;
    }
    if (basename(name, '.yaml') === 'intents') {
      const parsed = intentsFileSchema.safeParse(raw);
      if (parsed.success) intents = parsed.data.intents;
      else problems.push(...parsed.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`));
      continue;
    }
    const parsed = flowSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`));
      continue;
    }
    if (flows.has(parsed.data.id)) problems.push(`${file}: flow id ${parsed.data.id} is used twice`);
    flows.set(parsed.data.id, parsed.data);
  }

  const sources: Record<string, string> = {};
  const versions: Record<string, string> = {};
  for (const name of yamlFiles(root.templatesDir)) {
    const file = join(root.templatesDir, name);
    const area = basename(basename(name, '.yaml'), '.yml');
    let parsed;
    try {
      parsed = templateFileSchema.safeParse(parse(readFileSync(file, 'utf8')));
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
      continue;
    }
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`));
      continue;
    }
    for (const [key, source] of Object.entries(parsed.data)) {
      sources[`${area}.${key}`] = source;
      versions[`${area}.${key}`] = createHash('sha256').update(source).digest('hex').slice(0, 12);
    }
  }
  if (problems.length) throw new Error(`conversation content is invalid:\n  ${problems.join('\n  ')}`);
  return { flows, intents, templates: createTemplateSet(sources, versions) };
}
