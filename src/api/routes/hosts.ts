import { Router } from 'express';
import type { AuditRecord, Decision } from '../../core/record.js';
import type { PolicyData } from '../../evaluate/opa/policy-data.js';
import type { AuditQuery } from '../../store/audit-store.js';
import { requireRole } from '../auth/principal.js';
import type { ApiConfig } from '../config.js';
import { currentSettings, deviations, goenvActions } from '../goenv/current-settings.js';
import { goenvQuery, hostName } from '../schemas.js';
import { parsed, queryOf } from '../validate.js';

// Enough records to reach a host's latest full snapshot in practice; older changes are then overridden anyway.
const currentWindow = 500;

export interface GoenvPolicy {
  data(): Promise<PolicyData>;
  judge(records: readonly AuditRecord[]): Promise<Decision[]>;
}

/** A host's Go-settings history, its current settings, and the ones the policy flags against the baseline. */
export function hostRoutes(deps: { query: AuditQuery; limits: ApiConfig['limits']; policy: GoenvPolicy }): Router {
  const router = Router();
  const schema = goenvQuery(deps.limits.maxPageSize);

  router.get('/v1/hosts/:host/goenv', requireRole('analyst', 'auditor'), async (req, res) => {
    const host = parsed(hostName, req.params.host, 'path.host');
    const { limit, cursor, from, to } = queryOf(req, schema);
    const filter = { host, actions: goenvActions, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
    const [history, latest, data] = await Promise.all([
      deps.query.searchRecords(filter, { size: limit ?? deps.limits.defaultPageSize, ...(cursor === undefined ? {} : { cursor }) }),
      deps.query.searchRecords({ host, actions: goenvActions }, { size: currentWindow, single: true }),
      deps.policy.data(),
    ]);
    const current = currentSettings(latest.items);
    res.json({
      host,
      current,
      baseline: {
        approvedGoproxy: data.approved_goproxy,
        approvedGosumdb: data.approved_gosumdb,
        goproxyAllowDirect: data.goproxy_allow_direct ?? false,
        privateModules: data.private_modules,
      },
      deviations: await deviations(host, current, deps.policy.judge),
      history,
    });
  });

  return router;
}
