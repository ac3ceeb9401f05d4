#!/usr/bin/env node
// Before `npm start`: builds dist/ when it is missing or older than any source (src/, the lock file,
// the build's tsconfig), as ensure-installed installs when node_modules is stale. Building needs the
// development dependencies (TypeScript); a deployment that ships a built dist/ never builds here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const builtAt = existsSync('dist/.built') && existsSync('dist/main.js') ? Number(readFileSync('dist/.built', 'utf8')) : 0;
const sourcesAt = Math.max(newestIn('src'), statSync('package-lock.json').mtimeMs, statSync('tsconfig.build.json').mtimeMs, statSync('tsconfig.json').mtimeMs);
if (builtAt > sourcesAt) process.exit(0);

console.log(builtAt ? 'The sources changed since the last build: building again…' : 'No build yet: building dist/ (about half a minute)…');
for (const [script, args] of [
  ['scripts/ensure-installed.mjs', []],
  ['scripts/build.mjs', []],
]) {
  const r = spawnSync(process.execPath, [script, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
