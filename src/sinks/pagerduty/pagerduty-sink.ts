import type { Alert, Settlement } from '../../core/component.js';
import { postJson } from '../../delivery/http-delivery.js';
import type { Digest, NotificationSink, SendOptions } from '../../delivery/notification.js';
import { displayText, truncate } from '../alert-summary.js';
import type { PagerDutyConfig } from './config.js';
import { digestEvent, resolveEvent, triggerEvent } from './pagerduty-event.js';

/**
 * Sends alerts to the PagerDuty Events API v2. PagerDuty answers 202 `{"status":"success","dedup_key"}`;
 * 400 `{"message","errors":[…]}` for an invalid event (never retried), 429 when the integration key is throttled
 * (often without Retry-After: the retry module's backoff decides), 5xx when it failed. The sink only classifies.
 */
export class PagerDutySink implements NotificationSink {
  constructor(
    private readonly config: PagerDutyConfig & { routingKey: string },
    readonly name: string = 'pagerduty',
  ) {}

  async start(): Promise<void> {}

  // dedup_key (the fingerprint) is PagerDuty's idempotency key: a trigger sent twice adds nothing new.
  async send(alert: Alert, options: SendOptions = {}): Promise<Settlement> {
    return this.post(triggerEvent(alert, this.config.routingKey, { recordUrlTemplate: this.config.recordUrlTemplate }), options.signal);
  }

  async sendDigest(digest: Digest, options: SendOptions = {}): Promise<Settlement> {
    return this.post(digestEvent(digest, this.config.routingKey, options.notificationId ?? digest.latest.id), options.signal);
  }

  /** Resolves the PagerDuty alert opened for this fingerprint; alerts.resolve decides when a condition has cleared. */
  async resolve(fingerprint: string, options: SendOptions = {}): Promise<Settlement> {
    return this.post(resolveEvent(fingerprint, this.config.routingKey), options.signal);
  }

  async stop(): Promise<void> {}

  private post(event: object, signal?: AbortSignal): Promise<Settlement> {
    return postJson({
      sink: this.name,
      ...(signal ? { signal } : {}),
      url: this.config.url,
      body: JSON.stringify(event),
      timeoutMs: this.config.timeoutMs,
      // An answer that quotes the routing key must not carry it into logs.
      secrets: [this.config.routingKey],
      describe: (body) => truncate(displayText(errorDetail(body)), 200),
    });
  }
}

/** `message: error; error` from an Events API error body, or the body itself when it is something else. */
function errorDetail(body: string): string {
  try {
    const answer = JSON.parse(body) as { message?: unknown; errors?: unknown } | null;
    const errors = Array.isArray(answer?.errors) ? answer.errors.filter((error): error is string => typeof error === 'string') : [];
    const message = typeof answer?.message === 'string' ? answer.message : '';
    const parts = [message, errors.join('; ')].filter((part) => part !== '');
    if (parts.length > 0) return parts.join(': ');
  } catch {
    // not JSON: the body as it came
  }
  return body;
}

