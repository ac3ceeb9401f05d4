import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { catalogFileSchema, type CatalogFile } from './catalog-schema.ts';

/** Reads and validates the shipped catalogue data file; every problem is listed in the error. */
export function readCatalogFile(path: string): CatalogFile {
  const parsed = catalogFileSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 20).map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`catalogue file ${path} is invalid:\n${lines.join('\n')}`);
  }
  const ids = new Set<string>();
  for (const item of parsed.data.items) {
    if (ids.has(item.id)) throw new Error(`catalogue file ${path}: duplicate item id ${item.id}`);
    ids.add(item.id);
  }
  return parsed.data;
}
