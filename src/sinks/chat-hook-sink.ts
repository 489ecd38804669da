import type { Alert, Settlement } from '../core/component.js';
import { postJson, urlSecrets } from '../delivery/http-delivery.js';
import type { Digest, NotificationSink, SendOptions } from '../delivery/notification.js';
import { displayText, truncate } from './alert-summary.js';

/** What a chat webhook sink needs: where to post, and how long to wait. */
export interface ChatHookConfig {
  url: string;
  timeoutMs: number;
  recordUrlTemplate?: string | undefined;
}

/**
 * Posts alerts and digests to a chat service's incoming webhook (Slack, Teams Workflows). Chat hooks have no
 * idempotency key: a request the service processed whose answer was lost is sent again (docs/ALERTS.md).
 * A subclass says only how a message, a digest and an error body look.
 */
export abstract class ChatHookSink implements NotificationSink {
  private readonly secrets: string[];

  constructor(
    protected readonly config: ChatHookConfig,
    readonly name: string,
  ) {
    this.secrets = urlSecrets(config.url);
  }

  protected abstract message(alert: Alert, options: { recordUrlTemplate?: string | undefined }): object;
  protected abstract digest(digest: Digest): object;
  /** The part of an error body worth a reason; the body as it came by default. */
  protected errorDetail(body: string): string {
    return body;
  }

  async start(): Promise<void> {}

  send(alert: Alert, options: SendOptions = {}): Promise<Settlement> {
    return this.post(this.message(alert, { recordUrlTemplate: this.config.recordUrlTemplate }), options.signal);
  }

  sendDigest(digest: Digest, options: SendOptions = {}): Promise<Settlement> {
    return this.post(this.digest(digest), options.signal);
  }

  async stop(): Promise<void> {}

  private post(message: object, signal: AbortSignal | undefined): Promise<Settlement> {
    return postJson({
      sink: this.name,
      url: this.config.url,
      body: JSON.stringify(message),
      timeoutMs: this.config.timeoutMs,
      secrets: this.secrets,
      describe: (body) => truncate(displayText(this.errorDetail(body)), 200),
      ...(signal ? { signal } : {}),
    });
  }
}
