import type { AuditRecord, Decision } from '../../core/record.js';

/** ECS `rule.ruleset` for every rule modtrail's own policy defines. */
export const ruleset = 'modtrail';

/** A copy of the record carrying the policy's verdict; the revision says which bundle judged it. */
export function applyDecision(record: AuditRecord, decision: Decision): AuditRecord {
  return {
    ...record,
    event: { ...record.event, severity: decision.severity, risk_score: decision.riskScore },
    rule: { id: [...decision.ids], name: [...decision.names], ruleset, version: decision.revision },
    modtrail: { ...record.modtrail, alert: decision.alert },
  };
}
