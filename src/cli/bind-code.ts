import { parseArgs } from 'node:util';
import { issueBindCode, type BindTarget } from '../app/bind-codes.ts';
import { loadDirectory } from '../app/directory.ts';
import { formatShanghaiDateTime } from '../calendar/local-date.ts';
import { envSchema } from '../config/config.ts';
import { openDatabase } from '../db/open-database.ts';
import { isAppError } from '../errors.ts';

/**
 * `npm run bind-code -- --person <id> | --agents-room <village> | --centre-room <township> [--hours N]`:
 * issues a one-time bind code in the database at SQLITE_PATH, the same way as POST /api/admin/bind-codes.
 */
const usage = 'usage: npm run bind-code -- --person <person id> | --agents-room <village code> | --centre-room <township code> [--hours 72]';

function targetFrom(values: { person?: string | undefined; 'agents-room'?: string | undefined; 'centre-room'?: string | undefined }): BindTarget | null {
  const given = [values.person, values['agents-room'], values['centre-room']].filter((v) => v !== undefined);
  if (given.length !== 1) return null;
  if (values.person) return { kind: 'person', personId: values.person };
  if (values['agents-room']) return { kind: 'village_agents', villageCode: values['agents-room'] };
  return values['centre-room'] ? { kind: 'centre', townshipCode: values['centre-room'] } : null;
}

let parsed;
try {
  parsed = parseArgs({
    options: { person: { type: 'string' }, 'agents-room': { type: 'string' }, 'centre-room': { type: 'string' }, hours: { type: 'string' } },
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.error(usage);
  process.exit(2);
}
const target = targetFrom(parsed.values);
const hours = parsed.values.hours === undefined ? undefined : Number(parsed.values.hours);
if (!target || (hours !== undefined && (!Number.isInteger(hours) || hours < 1 || hours > 720))) {
  console.error(target ? '--hours must be a whole number of hours from 1 to 720' : 'give exactly one of --person, --agents-room, --centre-room');
  console.error(usage);
  process.exit(2);
}
const sqlitePath = envSchema.shape.SQLITE_PATH.parse(process.env.SQLITE_PATH || undefined);
const database = openDatabase(sqlitePath);
try {
  const issued = issueBindCode(database, loadDirectory(database), target, { now: Date.now(), ...(hours ? { hours } : {}) });
  console.log(`bind code for ${issued.label}: ${issued.code} (valid until ${formatShanghaiDateTime(issued.expiresAt)}, once)`);
  console.log(
    target.kind === 'person' ? `${issued.label} sends the bot, in a private chat:  绑定 ${issued.code}` : `someone in the group sends:  绑定 ${issued.code}`,
  );
} catch (error) {
  console.error(isAppError(error) ? error.message : error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  database.close();
}
