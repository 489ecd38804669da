// The HTTP API as an express application, without listen: the caller (serve, tests) decides where it listens.
import express, { type Express } from 'express';
import type { ReloadResult } from '../evaluate/opa/policy-reloader.js';
import type { AuditQuery } from '../store/audit-store.js';
import type { Logger } from '../telemetry/logger.js';
import { authenticate } from './auth/authenticate.js';
import type { VerifyToken } from './auth/token-verifier.js';
import type { ApiConfig } from './config.js';
import { problemErrors } from './error-handler.js';
import { openApiDocument } from './openapi.js';
import { sendProblem } from './problem.js';
import { auditRequests, type ApiAuditLog } from './request-audit.js';
import { adminRoutes } from './routes/admin.js';
import { alertRoutes } from './routes/alerts.js';
import { eventRoutes, type IngestDeps } from './routes/events.js';
import { exportRoutes } from './routes/exports.js';
import { hostRoutes, type GoenvPolicy } from './routes/hosts.js';
import { healthRoutes } from './routes/health.js';
import { metaRoutes } from './routes/meta.js';
import { moduleRoutes } from './routes/modules.js';
import { recordRoutes } from './routes/records.js';

export interface ApiDeps {
  config: Pick<ApiConfig, 'limits'>;
  verifyToken: VerifyToken;
  query: AuditQuery;
  auditLog: ApiAuditLog;
  logger: Logger;
  policy: GoenvPolicy & { reload(): Promise<ReloadResult> };
  /** POST /v1/events is served only when given. */
  ingest?: IngestDeps;
  /** The seal keys' public JWKS, from the integrity part of the service. */
  sealJwks?: () => Promise<object> | object;
  /** /v1/exports is served only when given. */
  exports?: Parameters<typeof exportRoutes>[0];
}

export function createApp(deps: ApiDeps): Express {
  const app = express();
  const { limits } = deps.config;
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Health probes would flood the audit trail; everything else, refusals included, is audited.
  app.use(healthRoutes());
  app.use(auditRequests(deps.auditLog));
  const document = openApiDocument(limits.maxPageSize);
  app.use(metaRoutes({ openapi: () => document, ...(deps.sealJwks ? { sealJwks: deps.sealJwks } : {}) }));
  app.use('/v1', authenticate(deps.verifyToken));
  app.use(moduleRoutes({ query: deps.query, limits }));
  app.use(hostRoutes({ query: deps.query, limits, policy: deps.policy }));
  app.use(recordRoutes({ query: deps.query, limits }));
  app.use(alertRoutes({ query: deps.query, limits }));
  if (deps.ingest) app.use(eventRoutes({ ...deps.ingest, limits }));
  if (deps.exports) app.use(exportRoutes(deps.exports));
  app.use(adminRoutes({ reloadPolicy: () => deps.policy.reload() }));
  app.use((req, res) => {
    sendProblem(res, 'api.not_found', `No route for ${req.method} ${req.path}.`);
  });
  app.use(problemErrors(deps.logger));
  return app;
}
