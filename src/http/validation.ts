import type { z } from 'zod';
import { AppError, type ErrorCode } from '../errors.ts';

/** Parses request input with a zod schema; a failure is a 4xx listing every problem. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, code: ErrorCode = 'invalid_request'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new AppError(code, problems.join('; '), { problems });
}
