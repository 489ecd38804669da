import type { Alert, AlertSink, Settlement } from '../../core/component.js';
import { parseRetryAfter } from '../../delivery/retry.js';
import { displayText, truncate } from '../alert-summary.js';
import type { SlackConfig } from './config.js';
import { slackMessage } from './slack-message.js';

/**
 * Posts each alert to a Slack incoming webhook. Slack answers 200 `ok`, or a status with a short error word
 * in the body (400 `invalid_payload`, 403 `action_prohibited`, 404 `no_service`/`channel_not_found`,
 * 410 `channel_is_archived`, 429 with Retry-After, 500 `rollup_error`); the sink only classifies the answer.
 */
export class SlackSink implements AlertSink {
  readonly name = 'slack';
  private readonly secrets: string[];

  constructor(private readonly config: SlackConfig & { url: string }) {
    this.secrets = urlSecrets(config.url);
  }

  async start(): Promise<void> {}

  async send(alert: Alert): Promise<Settlement> {
    const body = JSON.stringify(slackMessage(alert, { recordUrlTemplate: this.config.recordUrlTemplate }));
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'modtrail' },
        body,
        // A hook never redirects; following one would turn the POST into a GET somewhere else.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      return { status: 'retry', reason: this.redact(`slack ${unreachable(error, this.config.timeoutMs)}`) };
    }
    if (response.ok) return { status: 'delivered' };
    // Redact before cutting: a cut could leave a secret's prefix that no longer matches.
    const detail = truncate(displayText(this.redact(text)), 200);
    const reason = this.redact(`slack answered ${response.status}${detail ? `: ${detail}` : ''}`);
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return retryAfterMs === undefined ? { status: 'retry', reason } : { status: 'retry', reason, retryAfterMs };
    }
    return { status: 'rejected', code: 'alert.rejected', reason };
  }

  async stop(): Promise<void> {}

  /** Reasons reach logs: whatever of the webhook URL an answer or an error echoes is cut out. */
  private redact(reason: string): string {
    return this.secrets.reduce((text, secret) => text.replaceAll(secret, '[redacted]'), reason);
  }
}

/** The parts of a webhook URL that grant access: the URL, its path and query, and any long segment or value. */
function urlSecrets(url: string): string[] {
  const parsed = new URL(url);
  const rawValues = parsed.search.slice(1).split('&').map((pair) => pair.slice(pair.indexOf('=') + 1));
  const parts = [url, parsed.href, parsed.pathname + parsed.search, ...parsed.pathname.split('/'), ...parsed.searchParams.values(), ...rawValues];
  const secrets = parts.filter((part, index) => (index < 3 ? part.length > 1 : part.length >= 16));
  return [...new Set(secrets)].sort((a, b) => b.length - a.length);
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
