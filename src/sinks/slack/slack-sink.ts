import type { Alert, Settlement } from '../../core/component.js';
import { postJson, urlSecrets } from '../../delivery/http-delivery.js';
import type { Digest, NotificationSink, SendOptions } from '../../delivery/notification.js';
import { displayText, truncate } from '../alert-summary.js';
import type { SlackConfig } from './config.js';
import { slackDigest } from './slack-digest.js';
import { slackMessage } from './slack-message.js';

/**
 * Posts each alert to a Slack incoming webhook. Slack answers 200 `ok`, or a status with a short error word
 * in the body (400 `invalid_payload`, 403 `action_prohibited`, 404 `no_service`/`channel_not_found`,
 * 410 `channel_is_archived`, 429 with Retry-After, 500 `rollup_error`); the sink only classifies the answer.
 */
export class SlackSink implements NotificationSink {
  private readonly secrets: string[];

  constructor(
    private readonly config: SlackConfig & { url: string },
    readonly name: string = 'slack',
  ) {
    this.secrets = urlSecrets(config.url);
  }

  async start(): Promise<void> {}

  send(alert: Alert, options: SendOptions = {}): Promise<Settlement> {
    return this.post(slackMessage(alert, { recordUrlTemplate: this.config.recordUrlTemplate }), options.signal);
  }

  sendDigest(digest: Digest, options: SendOptions = {}): Promise<Settlement> {
    return this.post(slackDigest(digest), options.signal);
  }

  // Slack has no idempotency key: a request it processed whose answer was lost is sent again (docs/ALERTS.md).
  private post(message: object, signal: AbortSignal | undefined): Promise<Settlement> {
    return postJson({
      sink: this.name,
      url: this.config.url,
      body: JSON.stringify(message),
      timeoutMs: this.config.timeoutMs,
      secrets: this.secrets,
      describe: (body) => truncate(displayText(body), 200),
      ...(signal ? { signal } : {}),
    });
  }

  async stop(): Promise<void> {}
}
