import type { Settlement } from '../core/component.js';
import type { Logger } from '../telemetry/logger.js';
import type { DeliveryEntry, Notification, NotificationSink, OutboxStore, OutboxWrite } from './notification.js';
import { retry, RetryExhaustedError, type RetryPolicy } from './retry.js';
import { settleWrites, type SettledWrites } from './settle-writes.js';

/** Told about each delivery step, for metrics (pipeline/build.ts wires it to telemetry/metrics.ts). */
export interface DeliveryListener {
  /** A covered alert's delivery status for a sink changed to `status`. */
  status(sink: string, status: DeliveryEntry['status'], count: number): void;
  /** One notification settled for good. */
  settled(sink: string, outcome: 'delivered' | 'rejected' | 'failed'): void;
  attempt(sink: string): void;
  /** Notifications queued or in flight for the sink. */
  queued(sink: string, size: number): void;
}

export const silentListener: DeliveryListener = { status: () => undefined, settled: () => undefined, attempt: () => undefined, queued: () => undefined };

export interface OutboxOptions {
  /** Notifications in flight per sink. */
  concurrency: number;
  /** How long one notification is retried before it is marked failed. */
  sendPolicy: RetryPolicy;
  /** How long an outbox write is retried. */
  writePolicy: RetryPolicy;
  now?: () => number;
}

/** The delivery status writes that follow a notification: its alert's, or every alert a digest covers. */
export function deliveryWrites(notification: Notification, entry: Omit<DeliveryEntry, 'notification_id' | 'routes'>): OutboxWrite[] {
  const routes = notification.routes;
  if (notification.kind === 'alert' && notification.alert) {
    const alert = { id: notification.alert.id, timestamp: notification.alert['@timestamp'] };
    return [{ op: 'delivery', alert, sink: notification.sink, entry: { ...entry, notification_id: notification.id, routes } }];
  }
  if (notification.kind === 'digest') {
    return (notification.members ?? []).map((member) => ({
      op: 'delivery',
      alert: { id: member.alertId, timestamp: member.timestamp },
      sink: notification.sink,
      entry: { ...entry, notification_id: member.notificationId, routes, summary_id: notification.id },
    }));
  }
  return [];
}

/**
 * Sends what the outbox holds: one queue per sink, so a sink that fails for good only fills its own queue.
 * A notification is written before it is queued (by the caller); each settles in the outbox as delivered or
 * failed, with its attempts and last error. stop() cancels backoffs at once, lets requests in flight finish
 * within the grace period, and leaves everything unsent as pending for the next start.
 */
export class Outbox {
  private readonly queues = new Map<string, Notification[]>();
  private readonly active = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly cancelRequests = new AbortController();
  private readonly now: () => number;
  /** State writes waiting for the next bulk: recorded in order, one bulk at a time, off the sending path. */
  private stateWrites: OutboxWrite[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: OutboxStore,
    private readonly sinks: ReadonlyMap<string, NotificationSink>,
    private readonly options: OutboxOptions,
    private readonly logger: Logger,
    private readonly listener: DeliveryListener = silentListener,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Writes durably (retrying what can still succeed); throws store.unavailable when the budget is spent. */
  write(writes: readonly OutboxWrite[]): Promise<SettledWrites<OutboxWrite>> {
    return settleWrites(writes, (pending) => this.store.write(pending), this.options.writePolicy);
  }

  /**
   * Records delivery state in the background, coalesced into one bulk per round trip, in the order given: a
   * sink slot is never held waiting for OpenSearch, and writes to one document never overtake each other.
   */
  record(writes: readonly OutboxWrite[]): void {
    if (writes.length === 0) return;
    this.stateWrites.push(...writes);
    this.flushing ??= this.flushStates().finally(() => {
      this.flushing = undefined;
      if (this.stateWrites.length > 0) this.record([]);
    });
  }

  private async flushStates(): Promise<void> {
    while (this.stateWrites.length > 0) {
      const writes = this.stateWrites.splice(0);
      try {
        const settled = await this.write(writes);
        for (const { item, reason } of settled.rejected) this.logger.warn({ write: item.op, reason }, 'delivery state not recorded');
      } catch (error) {
        // Left as it was in the outbox: a notification still pending there is sent again after a restart.
        this.logger.error({ err: error, writes: writes.length }, 'delivery state not recorded');
      }
    }
  }

  /** Queues notifications already written as pending. */
  send(notifications: readonly Notification[]): void {
    if (this.stopping.signal.aborted) return;
    for (const notification of notifications) {
      const queue = this.queues.get(notification.sink) ?? [];
      queue.push(notification);
      this.queues.set(notification.sink, queue);
    }
    for (const sink of new Set(notifications.map((n) => n.sink))) this.pump(sink);
  }

  /** Notifications queued or in flight, by sink. */
  backlog(sink: string): number {
    return (this.queues.get(sink)?.length ?? 0) + (this.active.get(sink) ?? 0);
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping.abort(new Error('outbox stopping'));
    const timer = setTimeout(() => this.cancelRequests.abort(new Error('outbox stopped')), graceMs);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    clearTimeout(timer);
    while (this.flushing) await this.flushing;
  }

  private pump(sink: string): void {
    const queue = this.queues.get(sink) ?? [];
    while (!this.stopping.signal.aborted && queue.length > 0 && (this.active.get(sink) ?? 0) < this.options.concurrency) {
      const notification = queue.shift()!;
      this.active.set(sink, (this.active.get(sink) ?? 0) + 1);
      const delivery = this.deliver(notification).finally(() => {
        this.inFlight.delete(delivery);
        this.active.set(sink, (this.active.get(sink) ?? 1) - 1);
        this.listener.queued(sink, this.backlog(sink));
        this.pump(sink);
      });
      this.inFlight.add(delivery);
    }
    this.listener.queued(sink, this.backlog(sink));
  }

  private async deliver(notification: Notification): Promise<void> {
    const sink = this.sinks.get(notification.sink);
    if (!sink) {
      await this.settle(notification, { status: 'rejected', code: 'alert.rejected', reason: `no sink named ${notification.sink}` }, notification.attempts);
      return;
    }
    let attempts = notification.attempts;
    let settlement: Settlement;
    try {
      settlement = await retry(
        async () => {
          attempts += 1;
          this.listener.attempt(sink.name);
          const outcome = await this.attempt(sink, notification);
          if (outcome.status !== 'retry') return { done: true, value: outcome };
          this.progress(notification, attempts, outcome.reason);
          return { done: false, reason: outcome.reason, ...(outcome.retryAfterMs ? { retryAfterMs: outcome.retryAfterMs } : {}) };
        },
        this.options.sendPolicy,
        this.stopping.signal,
      );
    } catch (error) {
      // Stopping: left pending in the outbox, resumed at the next start.
      if (this.stopping.signal.aborted && !(error instanceof RetryExhaustedError)) return;
      const reason = error instanceof RetryExhaustedError ? error.message : error instanceof Error ? error.message : String(error);
      settlement = { status: 'rejected', code: 'alert.delivery_failed', reason };
    }
    await this.settle(notification, settlement, attempts);
  }

  private attempt(sink: NotificationSink, notification: Notification): Promise<Settlement> {
    const options = { notificationId: notification.id, signal: this.cancelRequests.signal };
    if (notification.kind === 'alert' && notification.alert) return sink.send(notification.alert, options);
    if (notification.kind === 'digest' && notification.digest) return sink.sendDigest(notification.digest, options);
    if (notification.kind === 'resolve' && sink.resolve) return sink.resolve(notification.fingerprint, options);
    return Promise.resolve({ status: 'rejected', code: 'alert.rejected', reason: `${sink.name} cannot send a ${notification.kind} notification` });
  }

  /** Attempts and the last error of a notification still being retried: visible while it is, not only after. */
  private progress(notification: Notification, attempts: number, lastError: string): void {
    const writes: OutboxWrite[] = [
      { op: 'patch', id: notification.id, patch: { attempts, lastError } },
      ...deliveryWrites(notification, { status: 'pending', attempts, last_error: lastError }),
    ];
    this.record(writes);
  }

  private async settle(notification: Notification, settlement: Settlement, attempts: number): Promise<void> {
    const sink = notification.sink;
    const delivered = settlement.status === 'delivered';
    const at = new Date(this.now()).toISOString();
    const lastError = settlement.status === 'delivered' ? undefined : settlement.reason;
    const patch: Partial<Notification> = delivered ? { state: 'delivered', attempts, deliveredAt: at } : { state: 'failed', attempts, lastError: lastError! };
    const entry = delivered
      ? { status: 'delivered' as const, attempts, delivered_at: at }
      : { status: 'failed' as const, attempts, last_error: lastError! };
    const writes = [{ op: 'patch', id: notification.id, patch } as const, ...deliveryWrites(notification, entry)];
    const outcome = delivered ? 'delivered' : settlement.status === 'rejected' && settlement.code === 'alert.rejected' ? 'rejected' : 'failed';
    this.listener.settled(sink, outcome);
    if (notification.kind !== 'resolve') this.listener.status(sink, entry.status, notification.kind === 'digest' ? (notification.members?.length ?? 0) : 1);
    const log = { sink, notification: notification.id, kind: notification.kind, attempts };
    if (delivered) this.logger.info(log, 'notification delivered');
    else this.logger.error({ ...log, reason: lastError }, 'notification not delivered');
    // Until this lands the outbox says pending: a restart in between sends again (webhook receivers dedupe by webhook-id).
    this.record(writes);
  }
}
