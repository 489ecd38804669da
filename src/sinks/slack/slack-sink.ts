import type { Alert } from '../../core/component.js';
import type { Digest } from '../../delivery/notification.js';
import { ChatHookSink } from '../chat-hook-sink.js';
import type { SlackConfig } from './config.js';
import { slackDigest } from './slack-digest.js';
import { slackMessage } from './slack-message.js';

/**
 * Posts each alert to a Slack incoming webhook. Slack answers 200 `ok`, or a status with a short error word
 * in the body (400 `invalid_payload`, 403 `action_prohibited`, 404 `no_service`/`channel_not_found`,
 * 410 `channel_is_archived`, 429 with Retry-After, 500 `rollup_error`); the sink only classifies the answer.
 */
export class SlackSink extends ChatHookSink {
  constructor(config: SlackConfig & { url: string }, name = 'slack') {
    super(config, name);
  }

  protected message(alert: Alert, options: { recordUrlTemplate?: string | undefined }): object {
    return slackMessage(alert, options);
  }

  protected digest(digest: Digest): object {
    return slackDigest(digest);
  }
}
