import type { Alert, AlertSink, Settlement } from '../../core/component.js';
import { postJson, urlSecrets } from '../../delivery/http-delivery.js';
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

  send(alert: Alert): Promise<Settlement> {
    return postJson({
      sink: 'slack',
      url: this.config.url,
      body: JSON.stringify(slackMessage(alert, { recordUrlTemplate: this.config.recordUrlTemplate })),
      timeoutMs: this.config.timeoutMs,
      secrets: this.secrets,
      describe: (body) => truncate(displayText(body), 200),
    });
  }

  async stop(): Promise<void> {}
}
