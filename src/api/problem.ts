import type { Response } from 'express';
import { errorCatalogue, type ErrorCode, ModtrailError } from '../core/errors.js';

/** An RFC 9457 problem document; `code` is the catalogue code, so clients branch on it, never on the text. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  /** Per-field validation problems, when a parameter or body was refused. */
  errors?: readonly { path: string; message: string }[];
}

export const problemContentType = 'application/problem+json';

/** A stable type URI per catalogue code, so the type means the same thing everywhere. */
export const problemType = (code: ErrorCode): string => `https://modtrail.dev/problems/${code.replace(/[._]/g, '-')}`;

export function toProblem(code: ErrorCode, detail: string, extra: Partial<Pick<Problem, 'errors' | 'instance'>> = {}): Problem {
  const entry = errorCatalogue[code];
  return { type: problemType(code), title: entry.title, status: entry.httpStatus, detail, code, ...extra };
}

/** Thrown inside a route to answer with a problem; the error middleware turns it into the response. */
export class ApiProblem extends ModtrailError {
  readonly errors: readonly { path: string; message: string }[] | undefined;
  constructor(code: ErrorCode, detail: string, errors?: readonly { path: string; message: string }[]) {
    super(code, detail);
    this.errors = errors;
  }
}

export function sendProblem(
  res: Response,
  code: ErrorCode,
  detail: string,
  extra: Partial<Pick<Problem, 'errors' | 'instance'>> = {},
): void {
  const problem = toProblem(code, detail, extra);
  // RFC 6750: a 401 names the scheme the client must use.
  if (problem.status === 401) {
    const bearer = res.locals.tokenPresented === true ? 'Bearer realm="modtrail", error="invalid_token"' : 'Bearer realm="modtrail"';
    res.setHeader('WWW-Authenticate', bearer);
  }
  res.status(problem.status).type(problemContentType).send(JSON.stringify(problem));
}
