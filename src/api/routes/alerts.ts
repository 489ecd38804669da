import { Router } from 'express';
import type { AuditQuery } from '../../store/audit-store.js';
import { requireRole } from '../auth/principal.js';
import type { ApiConfig } from '../config.js';
import { alertsQuery } from '../schemas.js';
import { queryOf } from '../validate.js';

/** Stored alerts, newest first, with the delivery status the notifier stored on them. */
export function alertRoutes(deps: { query: AuditQuery; limits: ApiConfig['limits'] }): Router {
  const router = Router();
  const schema = alertsQuery(deps.limits.maxPageSize);

  router.get('/v1/alerts', requireRole('analyst', 'auditor'), async (req, res) => {
    const { limit, cursor, rule, ...filter } = queryOf(req, schema);
    const page = await deps.query.searchAlerts(
      { ...filter, ...(rule === undefined ? {} : { ruleId: rule }) },
      { size: limit ?? deps.limits.defaultPageSize, ...(cursor === undefined ? {} : { cursor }) },
    );
    res.json(page);
  });

  return router;
}
