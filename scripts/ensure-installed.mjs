#!/usr/bin/env node
// Makes a fresh clone runnable: checks the Node.js version and installs the locked dependencies
// (npm ci) unless npm's own record of what is installed (node_modules/.package-lock.json) already
// holds every package of package-lock.json at its locked version — so a user's own `npm ci` or
// `npm install` is trusted, not thrown away and redone. `--prod`: the runtime dependencies suffice
// (npm start); otherwise the development ones are needed too (tests, bench, demo). Plain JavaScript
// because it runs before the dependencies (and the TypeScript runner) exist.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Daiban needs Node.js 20.19 or newer; this is ${process.versions.node}. See https://nodejs.org/ or use nvm: nvm install 20`);
  process.exit(1);
}

const prodOnly = process.argv.includes('--prod');

/** The locked packages missing from node_modules or installed at another version (optional ones may be absent). */
function missingPackages() {
  const installedPath = 'node_modules/.package-lock.json';
  if (!existsSync(installedPath)) return ['(nothing installed)'];
  const locked = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(installedPath, 'utf8')).packages ?? {};
  return Object.entries(locked).flatMap(([path, entry]) => {
    if (path === '' || entry.optional || entry.link || (prodOnly && entry.dev)) return [];
    return installed[path]?.version === entry.version ? [] : [path];
  });
}

const missing = missingPackages();
if (missing.length === 0) process.exit(0);

console.log(
  `Installing dependencies (npm ci; about a minute on first run, better-sqlite3 compiles; ${missing.length} package(s) missing or at another version, e.g. ${missing[0]})…`,
);
const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error('npm ci failed. Check your network access to the npm registry and try again.');
  process.exit(result.status ?? 1);
}
