import { Router } from 'express';
import type { AuditQuery } from '../../store/audit-store.js';
import { requireRole } from '../auth/principal.js';
import type { ApiConfig } from '../config.js';
import { recordsQuery } from '../schemas.js';
import { queryOf } from '../validate.js';

/** Search over every stored record with typed filters; newest first, cursor-paginated. */
export function recordRoutes(deps: { query: AuditQuery; limits: ApiConfig['limits'] }): Router {
  const router = Router();
  const schema = recordsQuery(deps.limits.maxPageSize);

  router.get('/v1/records', requireRole('analyst', 'auditor'), async (req, res) => {
    const { limit, cursor, action, rule, ...filter } = queryOf(req, schema);
    const page = await deps.query.searchRecords(
      { ...filter, ...(action === undefined ? {} : { actions: [action] }), ...(rule === undefined ? {} : { ruleId: rule }) },
      { size: limit ?? deps.limits.defaultPageSize, ...(cursor === undefined ? {} : { cursor }) },
    );
    res.json(page);
  });

  return router;
}
