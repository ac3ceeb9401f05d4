#!/usr/bin/env node
// Makes a fresh clone runnable: checks the Node.js version and installs the locked dependencies
// (npm ci) when node_modules is missing or older than package-lock.json. Plain JavaScript because it
// runs before the dependencies (and the TypeScript runner) exist.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Daiban needs Node.js 20.19 or newer; this is ${process.versions.node}. See https://nodejs.org/ or use nvm: nvm install 20`);
  process.exit(1);
}

const lock = readFileSync('package-lock.json');
const hash = createHash('sha256').update(lock).digest('hex');
const stamp = 'node_modules/.daiban-installed';
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) process.exit(0);

console.log('Installing dependencies (npm ci; about a minute on first run, better-sqlite3 compiles)…');
const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error('npm ci failed. Check your network access to the npm registry and try again.');
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, hash);
