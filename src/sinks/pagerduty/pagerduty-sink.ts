import type { Alert, AlertSink, Settlement } from '../../core/component.js';
import { parseRetryAfter } from '../../delivery/retry.js';
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

  private async post(event: object): Promise<Settlement> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'modtrail' },
        body: JSON.stringify(event),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      return { status: 'retry', reason: this.redact(`pagerduty ${unreachable(error, this.config.timeoutMs)}`) };
    }
    if (response.ok) return { status: 'delivered' };
    // Redact before cutting: a cut could leave a secret's prefix that no longer matches.
    const detail = truncate(displayText(this.redact(errorDetail(text))), 300);
    const reason = this.redact(`pagerduty answered ${response.status}${detail ? `: ${detail}` : ''}`);
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return retryAfterMs === undefined ? { status: 'retry', reason } : { status: 'retry', reason, retryAfterMs };
    }
    return { status: 'rejected', code: 'alert.rejected', reason };
  }

  /** Reasons reach logs: an answer that quotes the routing key must not carry it there. */
  private redact(reason: string): string {
    return reason.replaceAll(this.config.routingKey, '[redacted]');
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

function unreachable(error: unknown, timeoutMs: number): string {
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') return `did not answer within ${timeoutMs} ms`;
  // fetch rejects with an opaque "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, bad port).
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return `unreachable: ${code}`;
  if (cause instanceof Error) return `unreachable: ${cause.message}`;
  return `unreachable: ${error instanceof Error ? error.message : String(error)}`;
}
