import type { Agent } from 'undici';
import type { Alert, Settlement } from '../../core/component.js';
import { clientTlsAgent } from '../../delivery/client-tls.js';
import { postJson, urlSecrets } from '../../delivery/http-delivery.js';
import { digestHeadline, type Digest, type NotificationSink, type SendOptions } from '../../delivery/notification.js';
import type { WebhookConfig } from './config.js';
import { sign } from './signature.js';

/** The JSON body a webhook receiver gets for one alert. */
export function webhookPayload(alert: Alert): object {
  const record = alert.record;
  return {
    type: 'modtrail.alert',
    timestamp: alert['@timestamp'],
    data: {
      alert_id: alert.id,
      fingerprint: alert.fingerprint,
      severity: alert.severity,
      rule: alert.rule,
      record: {
        id: record.event.id,
        timestamp: record['@timestamp'],
        action: record.event.action,
        outcome: record.event.outcome,
        dataset: record.event.dataset,
        module: record.package?.name,
        version: record.package?.version,
        user: record.user?.name,
        host: record.host?.name,
        source_ip: record.source?.ip,
        observer: record.observer,
        url_path: record.url?.path,
        trace_id: record.trace?.id,
      },
    },
  };
}

/** The JSON body for a summary of held-back alerts (grouped repeats, a throttled flood). */
export function webhookDigestPayload(digest: Digest, notificationId: string, now: Date): object {
  return {
    type: 'modtrail.alert.summary',
    timestamp: now.toISOString(),
    data: {
      notification_id: notificationId,
      reason: digest.reason,
      headline: digestHeadline(digest),
      count: digest.count,
      ...(digest.total === undefined ? {} : { total: digest.total }),
      first_at: digest.firstAt,
      last_at: digest.lastAt,
      max_severity: digest.maxSeverity,
      ...(digest.fingerprint ? { fingerprint: digest.fingerprint } : {}),
      rules: digest.rules,
      latest: (webhookPayload(digest.latest) as { data: object }).data,
    },
  };
}

/**
 * POSTs each alert as JSON, signed in the Standard Webhooks style when a secret is configured. The
 * `webhook-id` is the notification's id, the same on every retry and after a restart, so a receiver that
 * remembers ids it has seen (as Standard Webhooks asks) gets each notification once.
 */
export class WebhookSink implements NotificationSink {
  private readonly secrets: string[];
  /** Presents the client certificate when mutual TLS is configured. */
  private readonly agent: Agent | undefined;

  constructor(
    private readonly config: WebhookConfig & { url: string },
    private readonly now: () => Date = () => new Date(),
    readonly name: string = 'webhook',
  ) {
    this.secrets = [...urlSecrets(config.url), ...(config.secret ? [config.secret] : []), ...(config.tls?.keyPassphrase ? [config.tls.keyPassphrase] : [])];
    this.agent = config.tls === undefined ? undefined : clientTlsAgent(name, config.url, config.tls);
  }

  async start(): Promise<void> {}

  send(alert: Alert, options: SendOptions = {}): Promise<Settlement> {
    return this.post(options.notificationId ?? alert.id, JSON.stringify(webhookPayload(alert)), options.signal);
  }

  sendDigest(digest: Digest, options: SendOptions = {}): Promise<Settlement> {
    const id = options.notificationId ?? `summary-${digest.latest.id}-${digest.count}`;
    return this.post(id, JSON.stringify(webhookDigestPayload(digest, id, this.now())), options.signal);
  }

  private post(id: string, body: string, signal: AbortSignal | undefined): Promise<Settlement> {
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const headers: Record<string, string> = {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
    };
    if (this.config.secret) headers['webhook-signature'] = sign(this.config.secret, id, timestamp, body);
    return postJson({
      sink: this.name,
      url: this.config.url,
      body,
      timeoutMs: this.config.timeoutMs,
      headers,
      secrets: this.secrets,
      ...(signal ? { signal } : {}),
      ...(this.agent ? { dispatcher: this.agent } : {}),
    });
  }

  async stop(): Promise<void> {
    await this.agent?.close();
  }
}
