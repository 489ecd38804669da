import type { Alert, Settlement } from '../../core/component.js';
import { postJson, urlSecrets } from '../../delivery/http-delivery.js';
import type { Digest, NotificationSink, SendOptions } from '../../delivery/notification.js';
import { displayText, truncate } from '../alert-summary.js';
import type { TeamsConfig } from './config.js';
import { teamsDigest } from './teams-digest.js';
import { teamsMessage } from './teams-message.js';

/**
 * Posts each alert to a Teams Workflows webhook (Power Automate). The trigger answers 202 Accepted once it has
 * queued the flow run, or an error as JSON `{"error":{"code","message"}}`; the sink only classifies the answer.
 * A 202 says the flow started, not that the card was posted: a failed run shows only in the flow's run history.
 */
export class TeamsSink implements NotificationSink {
  private readonly secrets: string[];

  constructor(
    private readonly config: TeamsConfig & { url: string },
    readonly name: string = 'teams',
  ) {
    this.secrets = urlSecrets(config.url);
  }

  async start(): Promise<void> {}

  send(alert: Alert, options: SendOptions = {}): Promise<Settlement> {
    return this.post(teamsMessage(alert, { recordUrlTemplate: this.config.recordUrlTemplate }), options.signal);
  }

  sendDigest(digest: Digest, options: SendOptions = {}): Promise<Settlement> {
    return this.post(teamsDigest(digest), options.signal);
  }

  async stop(): Promise<void> {}

  // Workflows have no idempotency key: a request the flow accepted whose answer was lost is sent again (docs/ALERTS.md).
  private post(message: object, signal: AbortSignal | undefined): Promise<Settlement> {
    return postJson({
      sink: this.name,
      url: this.config.url,
      body: JSON.stringify(message),
      timeoutMs: this.config.timeoutMs,
      secrets: this.secrets,
      describe: (body) => truncate(displayText(errorDetail(body)), 200),
      ...(signal ? { signal } : {}),
    });
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


