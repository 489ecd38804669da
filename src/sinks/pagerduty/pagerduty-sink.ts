import type { Alert, AlertSink, Settlement } from '../../core/component.js';
import { postJson } from '../../delivery/http-delivery.js';
import { displayText, truncate } from '../alert-summary.js';
import type { PagerDutyConfig } from './config.js';
import { resolveEvent, triggerEvent } from './pagerduty-event.js';

/**
 * Sends alerts to the PagerDuty Events API v2. PagerDuty answers 202 `{"status":"success","dedup_key"}`;
 * 400 `{"message","errors":[…]}` for an invalid event (never retried), 429 when the integration key is throttled
 * (often without Retry-After: the retry module's backoff decides), 5xx when it failed. The sink only classifies.
 */
export class PagerDutySink implements AlertSink {
  readonly name = 'pagerduty';

  constructor(private readonly config: PagerDutyConfig & { routingKey: string }) {}

  async start(): Promise<void> {}

  async send(alert: Alert): Promise<Settlement> {
    return this.post(triggerEvent(alert, this.config.routingKey, { recordUrlTemplate: this.config.recordUrlTemplate }));
  }

  /** Resolves the PagerDuty alert opened for this fingerprint; routing decides when a condition has cleared. */
  async resolve(fingerprint: string): Promise<Settlement> {
    return this.post(resolveEvent(fingerprint, this.config.routingKey));
  }

  async stop(): Promise<void> {}

  private post(event: object): Promise<Settlement> {
    return postJson({
      sink: 'pagerduty',
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

