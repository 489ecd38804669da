import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { ApiEventV1 } from '../normalize/modtrail-api/api-event.js';
import { apiEventSchemaName } from '../normalize/modtrail-api/api-event.js';
import type { Principal } from './auth/principal.js';

/** Where the record of each API use goes (a Kafka topic in the service, so it is judged, stored and sealed). */
export interface ApiAuditLog {
  record(event: ApiEventV1): void;
}

/**
 * Writes one event for every request once its answer is sent: who (never the token), which route, the
 * parameters (path and query as received), the status, and why a refusal happened.
 */
export function auditRequests(log: ApiAuditLog) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.once('finish', () => {
      const principal = res.locals.principal as Principal | undefined;
      const refusal = (res.locals.refusal as string | undefined) ?? undefined;
      // req.route is set once a route matched; before that (a refusal in app.use('/v1')) the mount point is in baseUrl.
      const route = typeof req.route?.path === 'string' ? req.route.path : `${req.baseUrl}${req.path}`;
      const event: ApiEventV1 = {
        schema: apiEventSchemaName,
        time: new Date().toISOString(),
        request_id: requestId,
        method: /^[A-Z]{1,16}$/.test(req.method) ? req.method : 'OTHER',
        route: clip(route || '/', 8192),
        url: clip(req.originalUrl || '/', 8192),
        status: res.statusCode,
        client_ip: clip(req.socket.remoteAddress ?? '', 64) || undefined,
        duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
      };
      if (principal) event.principal = { subject: clip(principal.subject, 8192), issuer: clip(principal.issuer, 8192), roles: [...principal.roles] };
      if (refusal) event.refusal = clip(refusal, 512);
      const agent = req.headers['user-agent'];
      if (agent) event.user_agent = clip(agent, 1024);
      if (event.client_ip === undefined) delete event.client_ip;
      log.record(event);
    });
    next();
  };
}

const clip = (text: string, max: number): string => (text.length > max ? text.slice(0, max) : text);
