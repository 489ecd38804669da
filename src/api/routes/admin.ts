import { Router } from 'express';
import type { ReloadResult } from '../../evaluate/opa/policy-reloader.js';
import { requireRole } from '../auth/principal.js';

/** Administration: reload the policy bundle and data now (the same swap-only-when-loaded reload as the file watcher). */
export function adminRoutes(deps: { reloadPolicy: () => Promise<ReloadResult> }): Router {
  const router = Router();
  router.post('/v1/admin/policy/reload', requireRole('admin'), async (_req, res) => {
    const result = await deps.reloadPolicy();
    res.status(result.ok ? 200 : 409).json(result);
  });
  return router;
}
