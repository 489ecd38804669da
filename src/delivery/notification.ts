import { createHash } from 'node:crypto';
import type { Alert, Lifecycle, Settlement } from '../core/component.js';

/**
 * A summary of alerts that were held back: later occurrences of one fingerprint within a grouping window
 * (`grouped`), what a sink's throttle held back (`throttled`), or what was held when the service stopped (`resumed`).
 */
export interface Digest {
  reason: 'grouped' | 'throttled' | 'resumed';
  /** Alerts summarized (those held back, not those already sent). */
  count: number;
  /** Grouped: every occurrence in the window, the ones sent at once included. */
  total?: number;
  /** Occurrence times (the alerts' @timestamp) of the first and the last alert covered. */
  firstAt: string;
  lastAt: string;
  maxSeverity: number;
  /** Grouped: the fingerprint every covered alert shares (PagerDuty's dedup_key). */
  fingerprint?: string;
  /** The rules of the covered alerts, most frequent first. */
  rules: { id: string; name: string; count: number }[];
  /** The most recent covered alert, for the facts a person reads first. */
  latest: Alert;
}

/** One line for any surface: `held back 37 alerts: module.denied ×30, goenv.insecure ×7`. */
export function digestHeadline(digest: Digest): string {
  const rules = digest.rules.map((rule) => `${rule.id} ×${rule.count}`).join(', ');
  const noun = digest.count === 1 ? 'alert' : 'alerts';
  if (digest.reason === 'grouped') return `${digest.count} more ${noun} like this one (${digest.total ?? digest.count + 1} in the window): ${rules}`;
  if (digest.reason === 'throttled') return `held back ${digest.count} ${noun}: ${rules}`;
  return `${digest.count} ${noun} held back before a restart: ${rules}`;
}

export interface SendOptions {
  /** The notification's id: the idempotency key where the receiver has one (webhook-id). */
  notificationId?: string;
  /** Cancels the request (the service is stopping). */
  signal?: AbortSignal;
}

/** An alert sink that can also send summaries, and (PagerDuty) resolve what a fingerprint opened. */
export interface NotificationSink extends Lifecycle {
  name: string;
  send(alert: Alert, options?: SendOptions): Promise<Settlement>;
  sendDigest(digest: Digest, options?: SendOptions): Promise<Settlement>;
  resolve?(fingerprint: string, options?: SendOptions): Promise<Settlement>;
}

export type NotificationState = 'pending' | 'held' | 'summarized' | 'scheduled' | 'delivered' | 'failed';

/** One message to one sink, as the outbox keeps it: written before it is sent, updated as it settles. */
export interface Notification {
  id: string;
  sink: string;
  routes: string[];
  kind: 'alert' | 'digest' | 'resolve';
  state: NotificationState;
  /** Why a held alert waits: its fingerprint's window (grouped) or the sink's throttle. */
  hold?: 'grouped' | 'throttled';
  fingerprint: string;
  alert?: Alert;
  digest?: Digest;
  /** A digest's covered alerts (their held notifications), so their delivery status can follow the digest. */
  members?: AlertRef[];
  /** The digest that covered a held alert. */
  summaryId?: string;
  attempts: number;
  lastError?: string;
  createdAt: string;
  deliveredAt?: string;
  /** A scheduled notification (a PagerDuty resolve) is sent at this time. */
  dueAt?: string;
}

/** An alert as the alerts index knows it: its id and its time (which names its daily index). */
export interface AlertRef {
  alertId: string;
  timestamp: string;
  notificationId: string;
  hold?: 'grouped' | 'throttled';
}

/** An alert's delivery status for one sink, as GET /v1/alerts shows it under `delivery.<sink>`. */
export interface DeliveryEntry {
  status: 'pending' | 'grouped' | 'throttled' | 'delivered' | 'failed';
  notification_id: string;
  routes: string[];
  attempts: number;
  last_error?: string;
  delivered_at?: string;
  /** The summary notification that carried this alert, when it was held back. */
  summary_id?: string;
}

/** What the outbox writes: a notification (create-only or overwrite), a patch of one, or an alert's delivery entry. */
export type OutboxWrite =
  | { op: 'create' | 'put'; notification: Notification }
  | { op: 'patch'; id: string; patch: Partial<Notification> }
  | { op: 'delivery'; alert: { id: string; timestamp: string }; sink: string; entry: DeliveryEntry };

/** The durable side of the outbox (store/opensearch/outbox-store.ts). */
export interface OutboxStore extends Lifecycle {
  /** One settlement per write, in order; a `create` that meets an existing notification is delivered, duplicate. */
  write(writes: readonly OutboxWrite[]): Promise<Settlement[]>;
  /** Which of these notification ids exist. */
  existing(ids: readonly string[]): Promise<Set<string>>;
  /** Every notification not yet settled: pending, held or scheduled. */
  unfinished(): Promise<Notification[]>;
}

/** A stable notification id from its parts, so the same decision made twice yields the same id. */
export function notificationId(...parts: string[]): string {
  return `ntf_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;
}
