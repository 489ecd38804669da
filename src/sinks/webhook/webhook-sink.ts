import type { Alert, AlertSink, Settlement } from '../../core/component.js';
import { postJson, urlSecrets } from '../../delivery/http-delivery.js';
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

/** POSTs each alert as JSON, signed in the Standard Webhooks style when a secret is configured. */
export class WebhookSink implements AlertSink {
  readonly name = 'webhook';

  private readonly secrets: string[];

  constructor(
    private readonly config: WebhookConfig & { url: string },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.secrets = [...urlSecrets(config.url), ...(config.secret ? [config.secret] : [])];
  }

  async start(): Promise<void> {}

  send(alert: Alert): Promise<Settlement> {
    const body = JSON.stringify(webhookPayload(alert));
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const headers: Record<string, string> = {
      'webhook-id': alert.id,
      'webhook-timestamp': String(timestamp),
    };
    if (this.config.secret) headers['webhook-signature'] = sign(this.config.secret, alert.id, timestamp, body);
    return postJson({ sink: 'webhook', url: this.config.url, body, timeoutMs: this.config.timeoutMs, headers, secrets: this.secrets });
  }

  async stop(): Promise<void> {}
}
