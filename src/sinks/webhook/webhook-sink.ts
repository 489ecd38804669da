import type { Alert, AlertSink, Settlement } from '../../core/component.js';
import { parseRetryAfter } from '../../delivery/retry.js';
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

  constructor(
    private readonly config: WebhookConfig & { url: string },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async start(): Promise<void> {}

  async send(alert: Alert): Promise<Settlement> {
    const body = JSON.stringify(webhookPayload(alert));
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'modtrail',
      'webhook-id': alert.id,
      'webhook-timestamp': String(timestamp),
    };
    if (this.config.secret) headers['webhook-signature'] = sign(this.config.secret, alert.id, timestamp, body);
    let response: Response;
    try {
      response = await fetch(this.config.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.config.timeoutMs) });
      await response.arrayBuffer();
    } catch (error) {
      return { status: 'retry', reason: `webhook unreachable: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (response.ok) return { status: 'delivered' };
    const reason = `webhook answered ${response.status}`;
    if (response.status === 429 || response.status === 408 || response.status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return retryAfterMs === undefined ? { status: 'retry', reason } : { status: 'retry', reason, retryAfterMs };
    }
    return { status: 'rejected', code: 'alert.rejected', reason };
  }

  async stop(): Promise<void> {}
}
