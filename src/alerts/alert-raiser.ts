import { createHash } from 'node:crypto';
import type { Alert, Settlement } from '../core/component.js';
import type { AuditRecord } from '../core/record.js';

const digest = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);

/** One alert per judged record that raised one; its id is derived, so a replay yields the same alert. */
export function alertFor(record: AuditRecord): Alert | undefined {
  if (!record.modtrail?.alert || !record.rule) return undefined;
  const ruleIds = [...record.rule.id].sort();
  return {
    id: digest('alert', record.event.id, ...ruleIds),
    '@timestamp': record['@timestamp'],
    rule: { id: record.rule.id, name: record.rule.name, version: record.rule.version },
    severity: record.event.severity ?? 1,
    // What repeats for the same problem: the rules, the module and who or where (grouping uses it later).
    fingerprint: digest(...ruleIds, record.package?.name ?? '', record.user?.name ?? '', record.host?.name ?? ''),
    record,
  };
}

export interface AlertStore {
  save(alerts: readonly Alert[]): Promise<Settlement[]>;
}
