import type { Alert } from '../core/component.js';
import type { Digest } from '../delivery/notification.js';

/** What a grouping window knows beyond its held alerts: every occurrence's count, span and highest severity. */
export interface WindowFacts {
  total?: number;
  fingerprint?: string;
  firstAt?: number;
  lastAt?: number;
  maxSeverity?: number;
}

/** A summary of held-back alerts: how many, when, how bad, which rules (most frequent first), the latest one. */
export function digestOf(reason: Digest['reason'], alerts: readonly Alert[], extra: WindowFacts = {}): Digest {
  if (alerts.length === 0) throw new Error('a digest needs at least one alert');
  const times = alerts.map((alert) => Date.parse(alert['@timestamp']));
  const rules = new Map<string, { id: string; name: string; count: number }>();
  for (const alert of alerts) {
    alert.rule.id.forEach((id, index) => {
      const rule = rules.get(id) ?? { id, name: alert.rule.name[index] || id, count: 0 };
      rule.count += 1;
      rules.set(id, rule);
    });
  }
  const latest = alerts.reduce((last, alert) => (Date.parse(alert['@timestamp']) >= Date.parse(last['@timestamp']) ? alert : last));
  return {
    reason,
    count: alerts.length,
    ...(extra.total === undefined ? {} : { total: extra.total }),
    firstAt: new Date(extra.firstAt ?? times.reduce((a, b) => Math.min(a, b))).toISOString(),
    lastAt: new Date(extra.lastAt ?? times.reduce((a, b) => Math.max(a, b))).toISOString(),
    maxSeverity: extra.maxSeverity ?? alerts.reduce((max, alert) => Math.max(max, alert.severity), 0),
    ...(extra.fingerprint ? { fingerprint: extra.fingerprint } : {}),
    rules: [...rules.values()].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)),
    latest,
  };
}
