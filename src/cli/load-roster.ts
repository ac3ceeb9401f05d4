import { readFileSync } from 'node:fs';
import { loadRoster } from '../app/load-roster.ts';
import { envSchema } from '../config/config.ts';
import { openDatabase } from '../db/open-database.ts';
import { isAppError } from '../errors.ts';

/**
 * `npm run roster:load -- <file.json>`: loads a roster into the database at SQLITE_PATH, the same
 * way as PUT /api/admin/roster (upsert by code and id; every problem listed).
 */
const file = process.argv[2];
if (!file) {
  console.error('usage: npm run roster:load -- <roster.json>   (format: data/demo-roster.json, README “Roster”)');
  process.exit(2);
}
const sqlitePath = envSchema.shape.SQLITE_PATH.parse(process.env.SQLITE_PATH || undefined);
const database = openDatabase(sqlitePath);
try {
  const counts = loadRoster(database, JSON.parse(readFileSync(file, 'utf8')), Date.now());
  console.log(`loaded ${file} into ${sqlitePath}:`, counts);
} catch (error) {
  if (isAppError(error)) {
    console.error(`${error.message}:`);
    for (const p of (error.details as { problems?: string[] } | undefined)?.problems ?? []) console.error(`  - ${p}`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exitCode = 1;
} finally {
  database.close();
}
