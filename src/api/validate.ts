import type { Request } from 'express';
import type { z } from 'zod';
import { ApiProblem } from './problem.js';

/** Parses the query string with a strict schema: an unknown, repeated or malformed parameter is a 400 naming it. */
export function queryOf<T extends z.ZodType>(req: Request, schema: T): z.output<T> {
  return parsed(schema, req.query, 'query');
}

export function parsed<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  throw new ApiProblem('api.bad_request', `Invalid ${where} parameters: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
}

/** A wildcard route parameter (express 5 gives its segments as an array) joined back into one path. */
export function pathParam(req: Request, name: string): string {
  const value = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}
