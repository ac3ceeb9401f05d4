import type { Database } from '../db/open-database.ts';
import { storedCodes, upsertRoster, type RosterCounts } from '../db/roster-repository.ts';
import { AppError } from '../errors.ts';
import { checkRosterReferences, rosterSchema } from '../roster/roster-schema.ts';

/** Validates a roster (shape, then references) and upserts it in one transaction; all problems at once. */
export function loadRoster(database: Database, input: unknown, now: number): RosterCounts {
  const parsed = rosterSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(roster)'}: ${i.message}`);
    throw new AppError('invalid_roster', `the roster has ${problems.length} problem(s)`, { problems });
  }
  return database.write(() => {
    const problems = checkRosterReferences(parsed.data, storedCodes(database));
    if (problems.length) throw new AppError('invalid_roster', `the roster has ${problems.length} problem(s)`, { problems });
    return upsertRoster(database, parsed.data, now);
  });
}
