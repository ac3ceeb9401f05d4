import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, type ErrorCode } from '../errors.ts';

/**
 * The one validation style of every route: zod schemas in the route's `schema` (body, querystring,
 * params, headers), checked by fastify-type-provider-zod before the handler runs, so that handlers
 * get typed `request.body`/`query`/`params` (`app.withTypeProvider<ZodTypeProvider>()`), and
 * turned into JSON Schema for the OpenAPI document at /docs (api-docs.ts). A failure is a 4xx of the
 * error catalog listing every problem: `{ error, message: "<path>: <problem>; …", details: { problems } }`.
 * Answers are serialised with JSON.stringify: response schemas document the answer, they are not enforced.
 */

type SchemaErrorFormatter = NonNullable<FastifyServerOptions['schemaErrorFormatter']>;

export function installZodValidation(app: FastifyInstance): void {
  app.setValidatorCompiler<z.ZodType>((route) => {
    const check = validatorCompiler(route);
    // Fastify hands a missing body over as null: zod sees it missing, as the handlers always did.
    return route.httpPart === 'body' ? (data: unknown) => check(data ?? undefined) : check;
  });
  app.setSerializerCompiler(() => (data: unknown) => JSON.stringify(data));
  app.setSchemaErrorFormatter(invalidInput());
}

/**
 * A schema error formatter: the catalog's `code` (default `invalid_request`); with `namePart`,
 * problems outside the body say where they are (`query.receipt: …`, `params.receiptNo: …`) and a
 * problem with the whole value says `(value)` — the mini-program API's wording.
 */
export function invalidInput(options: { code?: ErrorCode; namePart?: boolean } = {}): SchemaErrorFormatter {
  return (errors, part) => {
    const where = options.namePart && part !== 'body' ? `${part === 'querystring' ? 'query' : part}.` : '';
    const whole = options.namePart ? '(value)' : '(body)';
    const problems = errors.map((e) => `${where}${e.instancePath.replace(/^\//, '').replaceAll('/', '.') || whole}: ${e.message ?? 'invalid'}`);
    return new AppError(options.code ?? 'invalid_request', problems.join('; '), { problems });
  };
}

/** Every error answer: `{ error, message, details? }` (src/errors.ts), as documented in /docs. */
export const errorAnswer = (description: string) =>
  z
    .object({ error: z.string().meta({ description: 'A code of the error catalog' }), message: z.string(), details: z.unknown().optional() })
    .meta({ description });

/** An answer without a body (204). */
export const noBody = (description: string) => z.null().meta({ description });
