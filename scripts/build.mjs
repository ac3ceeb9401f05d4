#!/usr/bin/env node
// `npm run build`: compiles src/ to JavaScript in dist/ (tsconfig.build.json rewrites the .ts import
// paths to .js) and copies what the compiled code reads beside itself (the SQL migrations), so that
// the service runs plain `node dist/main.js`: no TypeScript runner, no development dependencies.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';

const started = Date.now();
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('The build failed (tsc): see the errors above.');
  process.exit(tsc.status ?? 1);
}
rmSync('dist/db/migrations', { recursive: true, force: true });
cpSync('src/db/migrations', 'dist/db/migrations', { recursive: true });
// When it was built: ensure-built.mjs compares the sources with this.
writeFileSync('dist/.built', String(started));
console.log(`Built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
