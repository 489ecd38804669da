import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from '../problem.js';
import type { VerifyToken } from './token-verifier.js';

const bearer = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** Sets `res.locals.principal` from a valid bearer token, or answers 401 with WWW-Authenticate. */
export function authenticate(verify: VerifyToken) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization;
    if (header === undefined || header === '') {
      res.locals.refusal = 'no bearer token';
      sendProblem(res, 'api.unauthorized', 'A bearer token is required.');
      return;
    }
    res.locals.tokenPresented = true;
    const match = bearer.exec(header);
    if (!match) {
      res.locals.refusal = 'authorization header is not a bearer token';
      sendProblem(res, 'api.unauthorized', 'The Authorization header must be "Bearer <token>".');
      return;
    }
    const verdict = await verify(match[1]!);
    if (!verdict.ok) {
      res.locals.refusal = verdict.reason;
      sendProblem(res, 'api.unauthorized', `The bearer token was refused: ${verdict.reason}.`);
      return;
    }
    res.locals.principal = verdict.principal;
    next();
  };
}
