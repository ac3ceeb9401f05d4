#!/usr/bin/env node
// Checks that the committed migrations match src/db/schema.ts: drizzle-kit generates into a copy of
// the migrations folder, and any new migration file means the schema changed without one.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'daiban-migrations-'));
try {
  const out = join(dir, 'migrations');
  cpSync('src/db/migrations', out, { recursive: true });
  const config = join(dir, 'drizzle.config.mjs');
  writeFileSync(config, `export default { dialect: 'sqlite', schema: ${JSON.stringify(resolve('src/db/schema.ts'))}, out: ${JSON.stringify(out)} };\n`);
  const before = readdirSync(out).length;
  const r = spawnSync('npx', ['drizzle-kit', 'generate', '--config', config], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    process.exit(1);
  }
  const after = readdirSync(out).length;
  if (after !== before) {
    console.error('src/db/schema.ts has changes without a migration: run `npm run db:generate` and commit the result.');
    process.exit(1);
  }
  console.log('migrations are up to date with the schema');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
