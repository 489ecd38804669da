import type { Alert } from '../core/component.js';
import { notificationId, type AlertRef, type DeliveryEntry, type Notification, type NotificationSink, type OutboxStore, type OutboxWrite } from '../delivery/notification.js';
import { deliveryWrites, Outbox, silentListener, type DeliveryListener } from '../delivery/outbox.js';
import type { RetryPolicy } from '../delivery/retry.js';
import type { Logger } from '../telemetry/logger.js';
import type { AlertsConfig } from './config.js';
import { digestOf, type WindowFacts } from './digest.js';
import { Grouper } from './grouper.js';
import { Router } from './router.js';
import { Throttle } from './throttle.js';

export interface AlertNotifierOptions {
  config: Pick<AlertsConfig, 'routes' | 'defaultRoute' | 'hostGroups' | 'ruleTags' | 'grouping' | 'throttle' | 'resolve' | 'outbox'>;
  sinks: ReadonlyMap<string, NotificationSink>;
  store: OutboxStore;
  /** For outbox writes; sending uses the same steps with alerts.outbox.maxElapsedSeconds as its budget. */
  retryPolicy: RetryPolicy;
  logger: Logger;
  listener?: DeliveryListener;
  /** The clock for windows, throttles and resolves (tests pass a fake one and call tick()). */
  now?: () => number;
  /** Off in tests that drive tick() themselves. */
  timer?: boolean;
}

/** An alert stored by the batch handler; `replayed` when its alert record already existed (a redelivered batch). */
export interface StoredAlert {
  alert: Alert;
  replayed: boolean;
}

const statusOf = (notification: Notification): DeliveryEntry['status'] => (notification.state === 'held' ? notification.hold! : 'pending');

/**
 * Turns stored alerts into notifications: routes choose the sinks, the grouper and the per-sink throttle hold
 * back repeats and floods for a summary, and PagerDuty resolves are scheduled. Every notification is written to
 * the outbox before enqueue() resolves (so before the batch's offsets are committed); sending happens after,
 * in the background, and never holds back ingestion.
 */
export class AlertNotifier {
  private readonly router: Router;
  private readonly grouper: Grouper<Notification>;
  private readonly throttle: Throttle<Notification>;
  private readonly outbox: Outbox;
  private readonly resolves = new Map<string, Notification>();
  /** Digests whose outbox write failed: written again at the next tick. */
  private readonly unwritten: Notification[] = [];
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** Enqueues whose outbox write is under way: a summary must not cover a notification not yet written. */
  private readonly enqueuing = new Set<Promise<void>>();

  constructor(private readonly options: AlertNotifierOptions) {
    const { config } = options;
    this.now = options.now ?? Date.now;
    this.router = new Router(config, [...options.sinks.keys()]);
    this.grouper = new Grouper(config.grouping.windowSeconds * 1000);
    this.throttle = new Throttle((sink) => config.throttle.sinks[sink] ?? config.throttle.perMinute);
    const sendPolicy = { ...options.retryPolicy, maxElapsedMs: config.outbox.maxElapsedSeconds * 1000 };
    this.outbox = new Outbox(
      options.store,
      options.sinks,
      { concurrency: config.outbox.concurrency, sendPolicy, writePolicy: options.retryPolicy, now: this.now },
      options.logger,
      options.listener ?? silentListener,
    );
  }

  /** Creates the outbox if needed and resumes what a previous run left: pending, held and scheduled notifications. */
  async start(): Promise<void> {
    await this.options.store.start();
    const left = await this.options.store.unfinished();
    const held = new Map<string, Notification[]>();
    for (const notification of left) {
      if (notification.state === 'pending') this.outbox.send([notification]);
      else if (notification.state === 'scheduled') this.resolves.set(notification.id, notification);
      else if (notification.state === 'held' && notification.alert) {
        const key = `${notification.sink}\u0000${notification.hold}`;
        held.set(key, [...(held.get(key) ?? []), notification]);
      }
    }
    // What was held when the service stopped is summarized at once: its window or minute is gone with the process.
    for (const members of held.values()) this.unwritten.push(this.digest('resumed', members));
    if (left.length > 0) this.options.logger.info({ resumed: left.length }, 'outbox resumed');
    if (this.options.timer !== false) {
      this.timer = setInterval(() => void this.tick().catch((error: unknown) => this.options.logger.error({ err: error }, 'alert tick failed')), this.options.config.outbox.tickMs);
      this.timer.unref();
    }
    if (this.unwritten.length > 0) await this.tick();
  }

  /** Routes, groups and throttles the alerts, and writes their notifications; throws when the outbox cannot be written. */
  async enqueue(stored: readonly StoredAlert[]): Promise<void> {
    const work = this.decideAndWrite(stored);
    this.enqueuing.add(work);
    try {
      await work;
    } finally {
      this.enqueuing.delete(work);
    }
  }

  private async decideAndWrite(stored: readonly StoredAlert[]): Promise<void> {
    const now = this.now();
    const candidates = stored.flatMap(({ alert, replayed }) => {
      const routed = this.router.route(alert);
      if (routed.length === 0) this.options.logger.debug({ alert: alert.id, rule: alert.rule.id }, 'alert matches no route');
      return routed.map(({ sink, routes }) => ({ alert, replayed, sink, routes, id: notificationId('alert', sink, alert.id) }));
    });
    // A redelivered batch: what reached the outbox the first time is not decided again.
    const known = await this.options.store.existing(candidates.filter((c) => c.replayed).map((c) => c.id));

    const notifications: Notification[] = [];
    const resolves = new Map<string, Notification>();
    const resolveAfterMs = this.options.config.resolve.afterMinutes * 60_000;
    for (const { alert, sink, routes, id } of candidates) {
      if (known.has(id)) continue;
      const notification: Notification = { id, sink, routes, kind: 'alert', state: 'pending', fingerprint: alert.fingerprint, alert, attempts: 0, createdAt: iso(now) };
      const decision = this.grouper.offer(`${sink}\u0000${alert.fingerprint}`, notification, alert.severity, Date.parse(alert['@timestamp']), now);
      // An escalation goes out whatever the throttle says: a rise in severity is never held back.
      if (decision === 'grouped') Object.assign(notification, { state: 'held', hold: 'grouped' });
      else if (decision === 'first' && !this.throttle.admit(sink, notification, now)) Object.assign(notification, { state: 'held', hold: 'throttled' });
      notifications.push(notification);
      if (resolveAfterMs > 0 && this.options.sinks.get(sink)?.resolve) {
        const resolveId = notificationId('resolve', sink, alert.fingerprint);
        resolves.set(resolveId, { id: resolveId, sink, routes, kind: 'resolve', state: 'scheduled', fingerprint: alert.fingerprint, attempts: 0, createdAt: iso(now), dueAt: iso(now + resolveAfterMs) });
      }
    }
    if (notifications.length === 0) return;

    const writes: OutboxWrite[] = notifications.map((notification) => ({ op: 'create', notification }));
    for (const resolve of resolves.values()) writes.push({ op: 'put', notification: resolve });
    const settled = await this.outbox.write(writes);
    for (const { item, reason } of settled.rejected) this.options.logger.error({ write: item.op, reason }, 'outbox write refused');
    const duplicates = new Set(settled.delivered.filter((d) => d.duplicate && d.item.op === 'create').map((d) => (d.item as { notification: Notification }).notification.id));

    const fresh = notifications.filter((n) => !duplicates.has(n.id));
    for (const notification of fresh) this.options.listener?.status(notification.sink, statusOf(notification), 1);
    // The alert document's view of it follows in the background: the outbox, written above, is what counts.
    this.outbox.record(fresh.flatMap((notification) => deliveryWrites(notification, { status: statusOf(notification), attempts: 0 })));
    this.outbox.send(fresh.filter((n) => n.state === 'pending'));
    for (const [id, resolve] of resolves) this.resolves.set(id, resolve);
  }

  /** Summarizes windows and minutes that ended, and releases resolves that are due. */
  tick(): Promise<void> {
    this.ticking ??= this.summarize().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** Stops the clock and the outbox; held and unsent notifications stay in the outbox for the next start. */
  async stop(graceMs = 10_000): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await this.outbox.stop(graceMs);
  }

  private async summarize(): Promise<void> {
    await Promise.allSettled([...this.enqueuing]);
    const now = this.now();
    const digests = this.unwritten.splice(0);
    for (const group of this.grouper.due(now)) {
      const { total, firstAt, lastAt, maxSeverity } = group;
      digests.push(this.digest('grouped', group.held, { total, firstAt, lastAt, maxSeverity, fingerprint: group.held[0]!.fingerprint }));
    }
    for (const window of this.throttle.due(now)) digests.push(this.digest('throttled', window.held));
    const due = [...this.resolves.values()].filter((resolve) => Date.parse(resolve.dueAt!) <= now);
    if (digests.length === 0 && due.length === 0) return;

    const writes: OutboxWrite[] = [];
    for (const digest of digests) {
      writes.push({ op: 'create', notification: digest });
      for (const member of digest.members!) writes.push({ op: 'patch', id: member.notificationId, patch: { state: 'summarized', summaryId: digest.id } });
      for (const member of digest.members!) {
        writes.push(...deliveryWrites({ ...digest, members: [member] }, { status: member.hold ?? 'pending', attempts: 0 }));
      }
    }
    for (const resolve of due) writes.push({ op: 'patch', id: resolve.id, patch: { state: 'pending' } });
    try {
      await this.outbox.write(writes);
    } catch (error) {
      this.options.logger.error({ err: error, digests: digests.length }, 'summaries not written; trying again at the next tick');
      this.unwritten.push(...digests);
      return;
    }
    for (const resolve of due) this.resolves.delete(resolve.id);
    this.outbox.send([...digests, ...due.map((resolve) => ({ ...resolve, state: 'pending' as const }))]);
  }

  private digest(reason: 'grouped' | 'throttled' | 'resumed', members: Notification[], extra: WindowFacts = {}): Notification {
    const sink = members[0]!.sink;
    const id = notificationId('digest', sink, ...members.map((member) => member.id));
    const refs: AlertRef[] = members.map((member) => ({
      alertId: member.alert!.id,
      timestamp: member.alert!['@timestamp'],
      notificationId: member.id,
      ...(member.hold ? { hold: member.hold } : {}),
    }));
    return {
      id,
      sink,
      routes: [...new Set(members.flatMap((member) => member.routes))],
      kind: 'digest',
      state: 'pending',
      fingerprint: extra.fingerprint ?? id,
      digest: digestOf(reason, members.map((member) => member.alert!), extra),
      members: refs,
      attempts: 0,
      createdAt: iso(this.now()),
    };
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();
