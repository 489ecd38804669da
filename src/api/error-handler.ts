import type { NextFunction, Request, Response } from 'express';
import { ModtrailError } from '../core/errors.js';
import type { Logger } from '../telemetry/logger.js';
import { ApiProblem, sendProblem } from './problem.js';

/** Every error becomes a problem document; only a genuine fault is a 500, and its details stay in the log. */
export function problemErrors(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof ApiProblem) {
      sendProblem(res, error.code, error.message, error.errors ? { errors: error.errors } : {});
      return;
    }
    if (error instanceof ModtrailError) {
      sendProblem(res, error.code, error.message);
      return;
    }
    const bodyError = error as { type?: unknown; status?: unknown };
    if (typeof bodyError.type === 'string' && typeof bodyError.status === 'number') {
      // body-parser's errors: too large, bad encoding, aborted.
      if (bodyError.type === 'entity.too.large') sendProblem(res, 'api.payload_too_large', 'The request body is larger than the configured limit.');
      else if (bodyError.type === 'encoding.unsupported' || bodyError.type === 'charset.unsupported') sendProblem(res, 'api.unsupported_media_type', 'Unsupported content encoding or charset.');
      else sendProblem(res, 'api.bad_request', 'The request body could not be read.');
      return;
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // express's own client errors, e.g. a path parameter that is not valid percent-encoding.
      sendProblem(res, 'api.bad_request', 'The request could not be read (bad encoding or syntax).');
      return;
    }
    if (isStoreUnavailable(error)) {
      logger.warn({ err: error, route: req.route?.path }, 'store unavailable for an API request');
      sendProblem(res, 'store.unavailable', 'The store is unavailable; try again later.');
      return;
    }
    logger.error({ err: error, route: req.route?.path }, 'API request failed');
    sendProblem(res, 'api.internal', 'The request failed; the error is logged.');
  };
}

function isStoreUnavailable(error: unknown): boolean {
  const { name, meta } = error as { name?: string; meta?: { statusCode?: number } };
  return name === 'ConnectionError' || name === 'TimeoutError' || name === 'NoLivingConnectionsError' || (meta?.statusCode ?? 0) >= 500 || meta?.statusCode === 429;
}
