import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * The `.env` file beside the process (`cp .env.example .env`, then edit): read once at start by the
 * composition root. The process environment wins over the file, so a service manager's or a shell's
 * settings override it. No file, no change.
 */
export function withDotEnv(path: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!existsSync(path)) return env;
  const fromFile = parseEnv(readFileSync(path, 'utf8'));
  return { ...fromFile, ...env };
}
