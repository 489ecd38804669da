import { describe, expect, it } from 'vitest';
import type { Alert, Settlement } from '../core/component.js';
import type { Digest, Notification, NotificationSink, OutboxStore, OutboxWrite } from '../delivery/notification.js';
import { createLogger } from '../telemetry/logger.js';
import { athensAlert } from '../../test/support/sample-alert.js';
import { AlertNotifier } from './alert-notifier.js';
import { alertsConfigSchema } from './config.js';

/** An in-memory outbox (a fake collaborator: the real one is tested against OpenSearch in test/integration). */
class MemoryOutbox implements OutboxStore {
  readonly notifications = new Map<string, Notification>();
  failing = false;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async write(writes: readonly OutboxWrite[]): Promise<Settlement[]> {
    if (this.failing) return writes.map(() => ({ status: 'retry', reason: 'outbox down' }));
    return writes.map((write) => {
      if (write.op === 'create' && this.notifications.has(write.notification.id)) return { status: 'delivered', duplicate: true };
      if (write.op === 'create' || write.op === 'put') this.notifications.set(write.notification.id, structuredClone(write.notification));
      if (write.op === 'patch') Object.assign(this.notifications.get(write.id)!, write.patch);
      return { status: 'delivered' };
    });
  }
  async existing(ids: readonly string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.notifications.has(id)));
  }
  async unfinished(): Promise<Notification[]> {
    return [...this.notifications.values()].filter((n) => ['pending', 'held', 'scheduled'].includes(n.state));
  }
}

class RecordingSink implements NotificationSink {
  readonly sent: string[] = [];
  readonly digests: Digest[] = [];
  constructor(readonly name: string) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(alert: Alert): Promise<Settlement> {
    this.sent.push(alert.id);
    return { status: 'delivered' };
  }
  async sendDigest(digest: Digest): Promise<Settlement> {
    this.digests.push(digest);
    return { status: 'delivered' };
  }
}

const alert = (id: string, fingerprint: string, severity: number): Alert => athensAlert({}, { id, fingerprint, severity });
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

function setup(config: object, clock = { now: 0 }) {
  const store = new MemoryOutbox();
  const sinks = [new RecordingSink('a'), new RecordingSink('b')];
  const notifier = new AlertNotifier({
    config: alertsConfigSchema.parse({ webhook: { url: 'http://127.0.0.1:1/' }, sinks: { a: { type: 'webhook', url: 'http://127.0.0.1:1/a' }, b: { type: 'webhook', url: 'http://127.0.0.1:1/b' } }, ...config }),
    sinks: new Map(sinks.map((sink) => [sink.name, sink])),
    store,
    retryPolicy: { initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 50, multiplier: 2 },
    logger: createLogger('silent'),
    now: () => clock.now,
    timer: false,
  });
  return { store, sinks, notifier, clock };
}

describe('AlertNotifier (fake clock, in-memory outbox)', () => {
  it('lets an escalation past an exhausted throttle, and holds a new problem for the summary', async () => {
    const { store, sinks, notifier, clock } = setup({ routes: [{ name: 'r', sinks: ['a'] }], throttle: { perMinute: 1 } });
    await notifier.start();
    await notifier.enqueue([alert('a1', 'fp1', 3), alert('a2', 'fp1', 5), alert('a3', 'fp2', 3)].map((a) => ({ alert: a, replayed: false })));
    await settle();
    expect(sinks[0]!.sent).toEqual(['a1', 'a2']);
    expect(sinks[1]!.sent).toEqual([]);
    expect([...store.notifications.values()].find((n) => n.alert?.id === 'a3')).toMatchObject({ state: 'held', hold: 'throttled' });
    clock.now = 60_000;
    await notifier.tick();
    await settle();
    expect(sinks[0]!.digests.map((d) => [d.reason, d.count, d.latest.id])).toEqual([['throttled', 1, 'a3']]);
    expect([...store.notifications.values()].find((n) => n.alert?.id === 'a3')).toMatchObject({ state: 'summarized' });
    await notifier.stop();
  });

  it('writes nothing for an alert no route takes and no default route exists', async () => {
    const { store, sinks, notifier } = setup({ routes: [{ name: 'critical', sinks: ['b'], minSeverity: 5 }] });
    await notifier.start();
    await notifier.enqueue([{ alert: alert('x', 'fp', 3), replayed: false }]);
    expect(store.notifications.size).toBe(0);
    expect(sinks.flatMap((sink) => sink.sent)).toEqual([]);
    await notifier.stop();
  });

  it('throws when the outbox cannot be written, so the batch is not committed', async () => {
    const { store, notifier } = setup({});
    await notifier.start();
    store.failing = true;
    await expect(notifier.enqueue([{ alert: alert('y', 'fp', 3), replayed: false }])).rejects.toMatchObject({ code: 'store.unavailable' });
    await notifier.stop();
  });
});
