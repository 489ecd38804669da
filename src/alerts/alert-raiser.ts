import { createHash } from 'node:crypto';
import type { Alert, Settlement } from '../core/component.js';
import type { AuditRecord } from '../core/record.js';
import { fingerprintFields, type FingerprintField } from './config.js';

const digest = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);

/** One alert per judged record that raised one; its id is derived, so a replay yields the same alert. */
export function alertFor(record: AuditRecord, fingerprintBy: readonly FingerprintField[] = fingerprintFields): Alert | undefined {
  if (!record.modtrail?.alert || !record.rule) return undefined;
  const ruleIds = [...record.rule.id].sort();
  return {
    id: digest('alert', record.event.id, ...ruleIds),
    '@timestamp': record['@timestamp'],
    rule: { id: record.rule.id, name: record.rule.name, version: record.rule.version },
    severity: record.event.severity ?? 1,
    fingerprint: fingerprint(record, ruleIds, fingerprintBy),
    record,
  };
}

/**
 * What repeats for the same problem: the chosen fields (alerts.grouping.by). Grouping and PagerDuty's dedup_key use it.
 * With every field chosen it is the fingerprint alerts always had, so changing nothing changes no fingerprint.
 */
function fingerprint(record: AuditRecord, ruleIds: readonly string[], by: readonly FingerprintField[]): string {
  const chosen = new Set(by);
  const field = (name: FingerprintField, value: string | undefined): string => (chosen.has(name) ? (value ?? '') : '\u0001');
  const rules = chosen.has('rule') ? ruleIds : ['\u0001'];
  return digest(...rules, field('module', record.package?.name), field('user', record.user?.name), field('host', record.host?.name));
}

export interface AlertStore {
  save(alerts: readonly Alert[]): Promise<Settlement[]>;
}
