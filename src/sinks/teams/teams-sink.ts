import type { Alert, AlertSink, Settlement } from '../../core/component.js';
import { parseRetryAfter } from '../../delivery/retry.js';
import { displayText, truncate } from '../alert-summary.js';
import type { TeamsConfig } from './config.js';
import { teamsMessage } from './teams-message.js';

/**
 * Posts each alert to a Teams Workflows webhook (Power Automate). The trigger answers 202 Accepted once it has
 * queued the flow run, or an error as JSON `{"error":{"code","message"}}`; the sink only classifies the answer.
 * A 202 says the flow started, not that the card was posted: a failed run shows only in the flow's run history.
 */
export class TeamsSink implements AlertSink {
  readonly name = 'teams';
  private readonly secrets: string[];

  constructor(private readonly config: TeamsConfig & { url: string }) {
    this.secrets = urlSecrets(config.url);
  }

  async start(): Promise<void> {}

  async send(alert: Alert): Promise<Settlement> {
    const body = JSON.stringify(teamsMessage(alert, { recordUrlTemplate: this.config.recordUrlTemplate }));
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'modtrail' },
        body,
        // A trigger never redirects; following one would turn the POST into a GET somewhere else.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      return { status: 'retry', reason: this.redact(`teams ${unreachable(error, this.config.timeoutMs)}`) };
    }
    if (response.ok) return { status: 'delivered' };
    // Redact before cutting: a cut could leave a secret's prefix that no longer matches.
    const detail = truncate(displayText(this.redact(errorDetail(text))), 200);
    const reason = this.redact(`teams answered ${response.status}${detail ? `: ${detail}` : ''}`);
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return retryAfterMs === undefined ? { status: 'retry', reason } : { status: 'retry', reason, retryAfterMs };
    }
    return { status: 'rejected', code: 'alert.rejected', reason };
  }

  async stop(): Promise<void> {}

  /** Reasons reach logs: whatever of the trigger URL (its `sig` above all) an answer or an error echoes is cut out. */
  private redact(reason: string): string {
    return this.secrets.reduce((text, secret) => text.replaceAll(secret, '[redacted]'), reason);
  }
}

/** `code: message` from a Power Automate error body, or the body itself when it is something else. */
function errorDetail(body: string): string {
  try {
    const error = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const parts = [error?.code, error?.message].filter((part): part is string => typeof part === 'string' && part !== '');
    if (parts.length > 0) return parts.join(': ');
  } catch {
    // not JSON: the body as it came
  }
  return body;
}

/** The parts of a trigger URL that grant access: the URL, its path and query, and any long segment or value. */
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
