import type { Alert } from '../../core/component.js';
import { digestHeadline, type Digest } from '../../delivery/notification.js';
import { recordLink, severityLevel, summarizeAlert, truncate, type SeverityLevel } from '../alert-summary.js';

/** Events API v2 limits (developer.pagerduty.com, "Send an Alert Event"); a whole event may be 512 KB. */
export const pagerDutyLimits = { summary: 1024, dedupKey: 255, detail: 1024 } as const;

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

export const pagerDutySeverity = (severity: SeverityLevel): PagerDutySeverity =>
  severity === 5 ? 'critical' : severity === 4 ? 'error' : severity === 3 ? 'warning' : 'info';

export interface PagerDutyEventOptions {
  recordUrlTemplate?: string;
}

/**
 * A trigger event for one alert. The alert's fingerprint is the dedup key, so the same problem seen again
 * (same rules, module, user, host) adds to the open PagerDuty alert instead of paging anew.
 */
export function triggerEvent(alert: Alert, routingKey: string, options: PagerDutyEventOptions = {}): object {
  const summary = summarizeAlert(alert);
  const fact = (name: string): string | undefined => summary.facts.find((candidate) => candidate.name === name)?.value;
  const what = fact('module') ?? fact('setting');
  const user = fact('user');
  const host = fact('host');
  const text = `${summary.title} (${summary.severityWord})${what ? `: ${what}` : ''}${user ? ` by ${user}` : ''}${host ? ` on ${host}` : ''}`;
  const details: Record<string, string> = {};
  for (const { label, value } of summary.facts) details[label.toLowerCase()] = truncate(value, pagerDutyLimits.detail);
  details.record_id = summary.recordId;
  details.bundle_revision = summary.revision;
  details.alert_id = alert.id;
  const link = recordLink(options.recordUrlTemplate, summary.recordId);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: truncate(alert.fingerprint, pagerDutyLimits.dedupKey),
    payload: {
      summary: truncate(text, pagerDutyLimits.summary),
      source: summary.source,
      severity: pagerDutySeverity(summary.severity),
      timestamp: summary.timestamp,
      ...(summary.module ? { component: summary.module } : {}),
      group: summary.ruleIds.join(','),
      class: summary.dataset,
      custom_details: details,
    },
    ...(link ? { links: [{ href: link, text: 'Open record in modtrail' }] } : {}),
    client: 'modtrail',
  };
}

/** Resolves the PagerDuty alert a trigger with the same fingerprint opened (a no-op for PagerDuty when none is open). */
export function resolveEvent(fingerprint: string, routingKey: string): object {
  return { routing_key: routingKey, event_action: 'resolve', dedup_key: truncate(fingerprint, pagerDutyLimits.dedupKey) };
}

/**
 * A trigger for a summary. Grouped repeats carry their fingerprint as dedup_key, so PagerDuty adds them to the
 * alert the first occurrence opened; a throttled batch gets its own key (the notification id) and its own alert.
 */
export function digestEvent(digest: Digest, routingKey: string, dedupKey: string): object {
  const latest = summarizeAlert(digest.latest);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: truncate(digest.fingerprint ?? dedupKey, pagerDutyLimits.dedupKey),
    payload: {
      summary: truncate(digestHeadline(digest), pagerDutyLimits.summary),
      source: latest.source,
      severity: pagerDutySeverity(severityLevel(digest.maxSeverity)),
      timestamp: digest.lastAt,
      group: digest.rules.map((rule) => rule.id).join(','),
      class: 'modtrail.summary',
      custom_details: {
        reason: digest.reason,
        count: String(digest.count),
        first_at: digest.firstAt,
        last_at: digest.lastAt,
        rules: truncate(digest.rules.map((rule) => `${rule.id} x${rule.count}`).join(', '), pagerDutyLimits.detail),
        latest_alert_id: digest.latest.id,
      },
    },
    client: 'modtrail',
  };
}
