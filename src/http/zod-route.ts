import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.ts';

/**
 * One zod schema per request part does two jobs: it validates (a failure is a 400 listing every
 * problem, through the error catalog) and, turned into JSON Schema, it documents the route in the
 * OpenAPI document at /docs. Answers are serialised with JSON.stringify (response schemas document only).
 */

type Part = 'body' | 'querystring' | 'params' | 'headers';

export interface ZodRouteSpec {
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: z.ZodType;
  /** Validated, not replaced (Fastify keeps the raw headers). */
  headers?: z.ZodType;
  /** Status → a zod schema of the answer, or just a description. */
  response?: Record<number, z.ZodType | string>;
}

/** Every error answer: `{ error, message, details? }` (src/errors.ts). */
const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string', description: 'A code of the error catalog' }, message: { type: 'string' }, details: {} },
  required: ['error', 'message'],
};

export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

function problemsOf(error: z.ZodError, part: Part): string[] {
  const where = part === 'body' ? '' : `${part === 'querystring' ? 'query' : part}.`;
  return error.issues.map((i) => `${where}${i.path.join('.') || '(value)'}: ${i.message}`);
}

export function zodRoute(spec: ZodRouteSpec): {
  schema: FastifySchema;
  validatorCompiler: FastifySchemaCompiler<unknown>;
  serializerCompiler: () => (data: unknown) => string;
} {
  const schema: FastifySchema & Record<string, unknown> = { summary: spec.summary, tags: spec.tags };
  if (spec.description) schema.description = spec.description;
  if (spec.security) schema.security = spec.security;
  for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
    const s = spec[part];
    if (s) schema[part] = toJsonSchema(s);
  }
  if (spec.response) {
    schema.response = Object.fromEntries(
      Object.entries(spec.response).map(([status, r]) => [
        status,
        typeof r !== 'string'
          ? { description: r.description ?? 'OK', ...toJsonSchema(r, 'output') }
          : Number(status) >= 400
            ? { description: r, ...errorSchema }
            : { description: r, type: 'null' },
      ]),
    );
  }
  return {
    schema,
    validatorCompiler: ({ httpPart }) => {
      const part = (httpPart ?? 'body') as Part;
      const zod = spec[part];
      return (data: unknown) => {
        if (!zod) return { value: data };
        const result = zod.safeParse(data ?? (part === 'body' ? undefined : {}));
        if (!result.success) {
          const problems = problemsOf(result.error, part);
          return { error: new AppError('invalid_request', problems.join('; '), { problems }) };
        }
        return part === 'headers' ? true : { value: result.data };
      };
    },
    serializerCompiler: () => (data: unknown) => JSON.stringify(data),
  };
}
