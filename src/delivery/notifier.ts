import type { Alert, AlertSink } from '../core/component.js';
import type { Logger } from '../telemetry/logger.js';
import { retry, type RetryPolicy } from './retry.js';

/**
 * Hands alerts to every alert sink in the background, retrying each sink on its own, so chat outages
 * never hold back the pipeline's offsets. stop() waits for what is in flight, up to a deadline.
 */
export class Notifier {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly sinks: readonly AlertSink[],
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
    private readonly onDelivery: (sink: string, outcome: 'delivered' | 'rejected' | 'failed') => void = () => undefined,
  ) {}

  notify(alert: Alert): void {
    for (const sink of this.sinks) {
      const delivery = this.deliver(sink, alert).finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
  }

  private async deliver(sink: AlertSink, alert: Alert): Promise<void> {
    try {
      const outcome = await retry(
        async () => {
          const settlement = await sink.send(alert);
          if (settlement.status === 'retry') {
            return { done: false, reason: settlement.reason, ...(settlement.retryAfterMs ? { retryAfterMs: settlement.retryAfterMs } : {}) };
          }
          return { done: true, value: settlement };
        },
        this.policy,
        this.abort.signal,
      );
      if (outcome.status === 'rejected') this.logger.error({ sink: sink.name, alert: alert.id, reason: outcome.reason }, 'alert refused by sink');
      else this.logger.info({ sink: sink.name, alert: alert.id, rule: alert.rule.id }, 'alert delivered');
      this.onDelivery(sink.name, outcome.status === 'rejected' ? 'rejected' : 'delivered');
    } catch (error) {
      this.logger.error({ sink: sink.name, alert: alert.id, err: error }, 'alert not delivered');
      this.onDelivery(sink.name, 'failed');
    }
  }

  /** Resolves when nothing is in flight, or cancels what is left after graceMs. */
  async stop(graceMs = 10_000): Promise<void> {
    const timer = setTimeout(() => this.abort.abort(new Error('notifier stopped')), graceMs);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    clearTimeout(timer);
  }
}
