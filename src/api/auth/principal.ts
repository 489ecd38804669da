import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from '../problem.js';

/** The API's roles: analyst reads, auditor reads and exports, ingest posts events, admin does everything. */
export type Role = 'analyst' | 'auditor' | 'ingest' | 'admin';
export const roles: readonly Role[] = ['analyst', 'auditor', 'ingest', 'admin'];

/** Who is calling, as the verified token says; set on `res.locals.principal` by the authentication middleware. */
export interface Principal {
  subject: string;
  roles: readonly Role[];
  issuer: string;
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (roles as readonly string[]).includes(value);

/** The principal the authentication middleware stored, or undefined on an unauthenticated route. */
export const principalOf = (res: Response): Principal | undefined => res.locals.principal as Principal | undefined;

/** True when the principal holds one of the roles; admin holds every role. */
export const hasRole = (principal: Principal, allowed: readonly Role[]): boolean =>
  principal.roles.includes('admin') || principal.roles.some((role) => allowed.includes(role));

/** Lets the request through only when the authenticated principal holds one of `allowed` (admin always passes): 401 without a principal, 403 with the wrong role. */
export function requireRole(...allowed: Role[]) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const principal = principalOf(res);
    if (principal === undefined) {
      sendProblem(res, 'api.unauthorized', 'A bearer token is required.');
      return;
    }
    if (!hasRole(principal, allowed)) {
      sendProblem(res, 'api.forbidden', `This operation needs one of the roles: ${allowed.join(', ')}.`);
      return;
    }
    next();
  };
}
