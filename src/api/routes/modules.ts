import { Router } from 'express';
import type { AuditQuery } from '../../store/audit-store.js';
import { requireRole } from '../auth/principal.js';
import type { ApiConfig } from '../config.js';
import { downloadsQuery, modulePath, versionsQuery } from '../schemas.js';
import { parsed, pathParam, queryOf } from '../validate.js';

/** The actions that fetch a module or its metadata from a proxy: a module's download history. */
export const downloadActions = ['module.zip', 'module.mod', 'module.info', 'module.list', 'module.latest'] as const;

/**
 * Module paths contain slashes, so the module is a wildcard (`*module`, path-to-regexp v8): the path may be
 * written as is (/v1/modules/golang.org/x/crypto/downloads) or with %2F; both name the same module.
 */
export function moduleRoutes(deps: { query: AuditQuery; limits: ApiConfig['limits'] }): Router {
  const router = Router();
  const downloads = downloadsQuery(deps.limits.maxPageSize);

  router.get('/v1/modules/*module/downloads', requireRole('analyst', 'auditor'), async (req, res) => {
    const module = parsed(modulePath, pathParam(req, 'module'), 'path.module');
    const { limit, cursor, ...filter } = queryOf(req, downloads);
    const page = await deps.query.searchRecords(
      { ...filter, module, actions: downloadActions },
      { size: limit ?? deps.limits.defaultPageSize, ...(cursor === undefined ? {} : { cursor }) },
    );
    res.json(page);
  });

  router.get('/v1/modules/*module/versions', requireRole('analyst', 'auditor'), async (req, res) => {
    const module = parsed(modulePath, pathParam(req, 'module'), 'path.module');
    const range = queryOf(req, versionsQuery);
    const versions = await deps.query.moduleVersions(module, { ...range, actions: downloadActions });
    res.json({ module, versions });
  });

  return router;
}
