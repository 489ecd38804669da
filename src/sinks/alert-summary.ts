import { z } from 'zod';
import type { Alert } from '../core/component.js';

/** The OCSF severity scale the policy uses (docs/RECORD.md): 1 informational … 5 critical. */
export type SeverityLevel = 1 | 2 | 3 | 4 | 5;

const severityWords = { 1: 'info', 2: 'low', 3: 'medium', 4: 'high', 5: 'critical' } as const satisfies Record<SeverityLevel, string>;
export type SeverityWord = (typeof severityWords)[SeverityLevel];

/** An alert's severity on the 1–5 scale; anything outside it (0, 6, NaN) is pulled to the nearest end. */
export function severityLevel(severity: number): SeverityLevel {
  if (!Number.isFinite(severity)) return 1;
  return Math.min(5, Math.max(1, Math.round(severity))) as SeverityLevel;
}

export const severityWord = (severity: number): SeverityWord => severityWords[severityLevel(severity)];

/** One line of what every message shows: a stable name (a key for machines), a label and a display value. */
export interface AlertFact {
  name: 'rule' | 'severity' | 'module' | 'setting' | 'user' | 'host' | 'observer' | 'time';
  label: string;
  /** Single-line plain text, not escaped for any markup: each sink escapes for its own surface. */
  value: string;
}

/** An alert reduced to the facts a person on call reads first, in the order they read them. */
export interface AlertSummary {
  /** The matched rules' names (their ids when a rule has no name); policy text, not record text. */
  title: string;
  severity: SeverityLevel;
  severityWord: SeverityWord;
  ruleIds: string[];
  /** Only the facts the record has: an Athens line has no user, an agent event has no module. */
  facts: AlertFact[];
  recordId: string;
  /** The policy bundle revision that judged the record. */
  revision: string;
  /** When the event happened (the record's @timestamp). */
  timestamp: string;
  module?: string;
  dataset: string;
  /** The proxy or agent that reported the event: its configured name, else its product. */
  source: string;
}

// Line breaks could forge extra lines of facts, and bidi controls could reorder a module path on screen.
const lineBreaks = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const bidiControls = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Record text made safe to show on one line: control characters become spaces, bidi controls a visible U+FFFD. */
export function displayText(value: string): string {
  return value.replace(lineBreaks, ' ').replace(bidiControls, '\uFFFD').trim();
}

export function summarizeAlert(alert: Alert): AlertSummary {
  const record = alert.record;
  const level = severityLevel(alert.severity);
  const names = alert.rule.id.map((id, index) => alert.rule.name[index] || id);
  const title = displayText(names.join(', ')) || 'modtrail alert';
  const facts: AlertFact[] = [];
  const add = (name: AlertFact['name'], label: string, value: string | undefined): void => {
    const shown = value === undefined ? '' : displayText(value);
    if (shown) facts.push({ name, label, value: shown });
  };
  add('rule', 'Rule', alert.rule.id.join(', '));
  add('severity', 'Severity', `${level} ${severityWords[level]}`);
  const pkg = record.package;
  add('module', 'Module', pkg && (pkg.version ? `${pkg.name}@${pkg.version}` : pkg.name));
  const goenv = record.goenv;
  add('setting', 'Setting', goenv?.name && (goenv.value === undefined ? goenv.name : `${goenv.name}=${goenv.value}`));
  add('user', 'User', record.user?.name);
  if (record.host?.name) add('host', 'Host', record.host.name);
  else add('host', 'Client', record.source?.address ?? record.source?.ip);
  const observer = record.observer;
  const source = observer.name ?? observer.product;
  add('observer', observer.type === 'proxy' ? 'Proxy' : 'Observer', observer.name ? `${observer.name} (${observer.product})` : observer.product);
  add('time', 'Time', record['@timestamp']);
  return {
    title,
    severity: level,
    severityWord: severityWords[level],
    ruleIds: [...alert.rule.id],
    facts,
    recordId: record.event.id,
    revision: alert.rule.version,
    timestamp: record['@timestamp'],
    ...(pkg ? { module: displayText(pkg.name) } : {}),
    dataset: record.event.dataset,
    source: displayText(source),
  };
}

/**
 * The longest prefix of `pieces` that fits in `max` UTF-16 code units with the ellipsis, or all of them when
 * they fit. Pieces are never split: pass code points (never half a surrogate pair) or escaped entities.
 */
export function fitPieces(pieces: readonly string[], max: number, ellipsis = '…'): string {
  const whole = pieces.join('');
  if (whole.length <= max) return whole;
  let kept = '';
  for (const piece of pieces) {
    if (kept.length + piece.length + ellipsis.length > max) break;
    kept += piece;
  }
  return kept + ellipsis;
}

/** `text` cut to at most `max` UTF-16 code units (the unit Slack, Teams and PagerDuty count), ending in an ellipsis. */
export const truncate = (text: string, max: number): string => fitPieces(Array.from(text), max);

/** A link template such as `https://modtrail.example/v1/records/{id}`; `{id}` becomes the record id. */
export const recordUrlTemplateSchema = z
  .string()
  .refine((template) => template.includes('{id}'), 'must contain {id}')
  .refine((template) => {
    try {
      return ['http:', 'https:'].includes(new URL(template.replaceAll('{id}', 'id')).protocol);
    } catch {
      return false;
    }
  }, 'must be an http or https URL');

export function recordLink(template: string | undefined, recordId: string): string | undefined {
  return template?.replaceAll('{id}', encodeURIComponent(recordId));
}
