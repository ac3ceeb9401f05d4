import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which processes use a database: each server process leaves a mark (`<database>.running/<pid>`)
 * while it runs, so that a restore can refuse to pull the database from under them. A mark of a
 * process that died without removing it (kill -9, a power cut) is recognised and cleared.
 */

const marksDir = (sqlitePath: string) => `${sqlitePath}.running`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Marks this process as using the database; the returned function removes the mark. */
export function markRunning(sqlitePath: string): () => void {
  if (sqlitePath === ':memory:') return () => undefined;
  const dir = marksDir(sqlitePath);
  mkdirSync(dir, { recursive: true });
  const mark = join(dir, String(process.pid));
  writeFileSync(mark, new Date().toISOString());
  return () => rmSync(mark, { force: true });
}

/** The other live processes using the database (stale marks are cleared). */
export function runningProcesses(sqlitePath: string): number[] {
  const dir = marksDir(sqlitePath);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) return [];
    if (alive(pid)) return [pid];
    rmSync(join(dir, name), { force: true });
    return [];
  });
}
