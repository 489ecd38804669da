// The alert outbox against the real OpenSearch and real HTTP receivers on loopback: payloads, retries, 429,
// a restart mid-delivery, grouping and escalation, the throttle's summary and PagerDuty's resolve.
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AlertNotifier } from '../../src/alerts/alert-notifier.js';
import { alertsConfigSchema } from '../../src/alerts/config.js';
import type { Alert } from '../../src/core/component.js';
import type { DeliveryEntry, Notification, NotificationSink } from '../../src/delivery/notification.js';
import { PagerDutySink } from '../../src/sinks/pagerduty/pagerduty-sink.js';
import { SlackSink } from '../../src/sinks/slack/slack-sink.js';
import { slackMessage } from '../../src/sinks/slack/slack-message.js';
import { TeamsSink } from '../../src/sinks/teams/teams-sink.js';
import { teamsMessage } from '../../src/sinks/teams/teams-message.js';
import { verify } from '../../src/sinks/webhook/signature.js';
import { WebhookSink, webhookPayload } from '../../src/sinks/webhook/webhook-sink.js';
import { OpenSearchAlertStore } from '../../src/store/opensearch/alert-store.js';
import { ensureIndexTemplates } from '../../src/store/opensearch/index-templates.js';
import { OpenSearchOutboxStore, outboxIndex } from '../../src/store/opensearch/outbox-store.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { removeTestData } from '../support/cleanup.js';
import { eventually } from '../support/kafka-topics.js';
import { loopbackReceivers, type LoopbackReceiver } from '../support/loopback-receiver.js';
import { athensAlert } from '../support/sample-alert.js';

const run = randomUUID().slice(0, 8);
const indexPrefix = `alerts-outbox-${run}`;
const opensearch = new Client({ node: inject('opensearchUrl') });
const alertStore = new OpenSearchAlertStore(opensearch, indexPrefix);
const secret = `whsec_${Buffer.from(`outbox-secret-${run}`).toString('base64')}`;
const receiver = loopbackReceivers({ path: '/hook' });
const logger = createLogger('silent');
const fastRetry = { initialDelayMs: 50, maxDelayMs: 300, maxElapsedMs: 10_000, multiplier: 2 };
const running: AlertNotifier[] = [];

let sequence = 0;
/** A distinct stored alert: its own id and, unless given, its own fingerprint. */
async function storedAlert(changes: Partial<Alert> = {}): Promise<Alert> {
  sequence += 1;
  const at = new Date(Date.UTC(2026, 10, 24, 9, 0, sequence)).toISOString();
  const alert = athensAlert({ '@timestamp': at }, { id: `${run}-alert-${sequence}`, '@timestamp': at, fingerprint: `${run}-fp-${sequence}`, ...changes });
  const [settlement] = await alertStore.save([alert]);
  expect(settlement!.status).toBe('delivered');
  return alert;
}

function notifier(sinks: NotificationSink[], config: object = {}, extra: { now?: () => number } = {}): AlertNotifier {
  const alerts = alertsConfigSchema.parse({ outbox: { tickMs: 100, maxElapsedSeconds: 10 }, ...config });
  const created = new AlertNotifier({
    config: alerts,
    sinks: new Map(sinks.map((sink) => [sink.name, sink])),
    store: new OpenSearchOutboxStore(opensearch, indexPrefix),
    retryPolicy: fastRetry,
    logger,
    ...(extra.now ? { now: extra.now, timer: false } : {}),
  });
  running.push(created);
  return created;
}

async function delivery(alert: Alert): Promise<Record<string, DeliveryEntry>> {
  const index = `${indexPrefix}-alerts-${alert['@timestamp'].slice(0, 10).replaceAll('-', '.')}`;
  const response = await opensearch.get({ index, id: alert.id });
  return ((response.body._source as { delivery?: Record<string, DeliveryEntry> }).delivery ?? {});
}

async function outbox(): Promise<Notification[]> {
  await opensearch.indices.refresh({ index: outboxIndex(indexPrefix) });
  const response = await opensearch.search({ index: outboxIndex(indexPrefix), body: { size: 1000, sort: [{ createdAt: 'asc' }] } });
  return (response.body.hits.hits as unknown as { _source: Notification }[]).map((hit) => hit._source);
}

const webhookIds = (r: LoopbackReceiver): string[] => r.seen.map((request) => String(request.headers['webhook-id']));
const bodies = (r: LoopbackReceiver): { type: string; data: Record<string, unknown> }[] => r.seen.map((request) => JSON.parse(request.body));
const noGrouping = { grouping: { windowSeconds: 0 } };

describe('alert outbox (real OpenSearch, loopback receivers)', () => {
  beforeAll(async () => {
    await ensureIndexTemplates(opensearch, indexPrefix);
  });

  afterAll(async () => {
    await Promise.all(running.map((n) => n.stop(100)));
    await removeTestData({ opensearch, indexPrefix });
    await opensearch.close();
  });

  it('writes the notification before sending, posts the exact signed payloads and records delivery per sink', async () => {
    const hook = await receiver([{ status: 204 }]);
    const slack = await receiver([{ status: 200, body: 'ok' }]);
    const teams = await receiver([{ status: 202 }]);
    const n = notifier(
      [new WebhookSink({ url: hook.url, secret, timeoutMs: 2000 }), new SlackSink({ url: slack.url, timeoutMs: 2000 }, 'slack-team-a'), new TeamsSink({ url: teams.url, timeoutMs: 2000 })],
      noGrouping,
    );
    await n.start();
    const alert = await storedAlert();
    await n.enqueue([{ alert, replayed: false }]);
    // Written before anything is sent: both notifications are in the outbox once enqueue resolved.
    const written = await outbox();
    const mine = written.filter((x) => x.alert?.id === alert.id);
    expect(mine.map((x) => x.sink).sort()).toEqual(['slack-team-a', 'teams', 'webhook']);

    await eventually(async () => hook.seen.length + slack.seen.length + teams.seen.length, (count) => count === 3, 10_000);
    const [request] = hook.seen;
    const id = mine.find((x) => x.sink === 'webhook')!.id;
    expect(request!.headers['webhook-id']).toBe(id);
    expect(verify(secret, id, Number(request!.headers['webhook-timestamp']), request!.body, String(request!.headers['webhook-signature']))).toBe(true);
    expect(JSON.parse(request!.body)).toEqual(JSON.parse(JSON.stringify(webhookPayload(alert))));
    expect(JSON.parse(slack.seen[0]!.body)).toEqual(JSON.parse(JSON.stringify(slackMessage(alert))));
    expect(JSON.parse(teams.seen[0]!.body)).toEqual(JSON.parse(JSON.stringify(teamsMessage(alert))));

    const status = await eventually(() => delivery(alert), (d) => ['webhook', 'slack-team-a', 'teams'].every((sink) => d[sink]?.status === 'delivered'), 10_000);
    expect(status.webhook).toMatchObject({ status: 'delivered', attempts: 1, notification_id: id, routes: ['all'] });
    expect(Date.parse(status.webhook!.delivered_at!)).toBeGreaterThan(Date.now() - 60_000);
    await n.stop();
  });

  it('retries a 500, waits out a 429 Retry-After, marks a 404 failed, and a failing sink never holds back another', async () => {
    const flaky = await receiver([{ status: 500 }, { status: 429, headers: { 'retry-after': '1' } }, { status: 200 }]);
    const broken = await receiver([{ status: 404, body: 'no such hook' }]);
    const down = await receiver(Array.from({ length: 1000 }, () => ({ status: 503 })));
    const downSink = new WebhookSink({ url: down.url, timeoutMs: 2000 }, undefined, 'down');
    const n = notifier(
      [new WebhookSink({ url: flaky.url, timeoutMs: 2000 }, undefined, 'flaky'), new WebhookSink({ url: broken.url, timeoutMs: 2000 }, undefined, 'broken'), downSink],
      noGrouping,
    );
    await n.start();
    const alert = await storedAlert();
    const started = Date.now();
    await n.enqueue([{ alert, replayed: false }]);
    const status = await eventually(() => delivery(alert), (d) => d.flaky?.status === 'delivered' && d.broken?.status === 'failed', 15_000);
    // The answer to the 429 said one second: the third attempt came no sooner.
    expect(flaky.seen).toHaveLength(3);
    expect(broken.seen).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(status.flaky).toMatchObject({ status: 'delivered', attempts: 3, last_error: 'flaky answered 429' });
    expect(status.broken).toMatchObject({ status: 'failed', attempts: 1, last_error: 'broken answered 404' });
    // The sink that answers 503 forever is still being retried: pending, with its attempts and last error visible.
    expect(status.down).toMatchObject({ status: 'pending', last_error: 'down answered 503' });
    expect(status.down!.attempts).toBeGreaterThanOrEqual(1);
    await n.stop(100);
  });

  it('resumes after a restart mid-delivery: the webhook gets the notification exactly once by id', async () => {
    const hook = await receiver([{ status: 200, hang: true }]);
    const sink = (): WebhookSink => new WebhookSink({ url: hook.url, secret, timeoutMs: 30_000 });
    const first = notifier([sink()], noGrouping);
    await first.start();
    const alert = await storedAlert();
    await first.enqueue([{ alert, replayed: false }]);
    await eventually(async () => hook.seen.length, (count) => count === 1, 10_000);
    // Stop while the receiver holds the request open: the request is cut, the notification stays pending.
    await first.stop(200);
    const [pending] = (await outbox()).filter((x) => x.alert?.id === alert.id);
    expect(pending!.state).toBe('pending');

    const second = notifier([sink()], noGrouping);
    await second.start();
    await eventually(() => delivery(alert), (d) => d.webhook?.status === 'delivered', 10_000);
    expect(new Set(webhookIds(hook))).toEqual(new Set([pending!.id]));
    await second.stop();

    // Another restart sends nothing again: the outbox says delivered.
    const third = notifier([sink()], noGrouping);
    await third.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await third.stop();
    expect(hook.seen).toHaveLength(2);
    expect((await outbox()).find((x) => x.id === pending!.id)!.state).toBe('delivered');
  });

  it('a replayed batch does not enqueue again what already reached the outbox', async () => {
    const hook = await receiver([]);
    const n = notifier([new WebhookSink({ url: hook.url, timeoutMs: 2000 })], noGrouping);
    await n.start();
    const alert = await storedAlert();
    await n.enqueue([{ alert, replayed: false }]);
    await n.enqueue([{ alert, replayed: true }]);
    await eventually(() => delivery(alert), (d) => d.webhook?.status === 'delivered', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.seen).toHaveLength(1);
    await n.stop();
  });

  it('groups repeats of one fingerprint into a summary at the window end, and lets a rise in severity out at once', async () => {
    const hook = await receiver([]);
    let now = Date.parse('2026-11-24T10:00:00Z');
    const n = notifier([new WebhookSink({ url: hook.url, timeoutMs: 2000 })], { grouping: { windowSeconds: 60 } }, { now: () => now });
    await n.start();
    const fingerprint = `${run}-grouped`;
    const alerts: Alert[] = [];
    for (const severity of [3, 3, 3, 5, 3]) alerts.push(await storedAlert({ fingerprint, severity }));
    for (const alert of alerts) {
      await n.enqueue([{ alert, replayed: false }]);
      now += 1000;
    }
    await eventually(async () => hook.seen.length, (count) => count === 2, 10_000);
    expect(bodies(hook).map((b) => (b.data as { alert_id: string }).alert_id)).toEqual([alerts[0]!.id, alerts[3]!.id]);
    expect((await delivery(alerts[1]!)).webhook!.status).toBe('grouped');

    now += 59_000;
    await n.tick();
    await eventually(async () => hook.seen.length, (count) => count === 3, 10_000);
    const summary = bodies(hook)[2]!;
    expect(summary.type).toBe('modtrail.alert.summary');
    expect(summary.data).toMatchObject({
      reason: 'grouped',
      count: 3,
      total: 5,
      fingerprint,
      max_severity: 5,
      first_at: alerts[0]!['@timestamp'],
      last_at: alerts[4]!['@timestamp'],
      rules: [{ id: 'module.not_allowlisted', name: 'Module outside the allowlist', count: 3 }],
    });
    expect(summary.data.headline).toBe('3 more alerts like this one (5 in the window): module.not_allowlisted ×3');
    const held = await eventually(() => delivery(alerts[2]!), (d) => d.webhook?.status === 'delivered', 10_000);
    expect(held.webhook!.summary_id).toBe(hook.seen[2]!.headers['webhook-id']);
    await n.stop();
  });

  it('throttles a sink to N a minute and sends what it held back as one summary, dropping none', async () => {
    const hook = await receiver([]);
    let now = Date.parse('2026-11-24T11:00:00Z');
    const n = notifier([new WebhookSink({ url: hook.url, timeoutMs: 2000 })], { ...noGrouping, throttle: { perMinute: 3 } }, { now: () => now });
    await n.start();
    const alerts: Alert[] = [];
    for (let i = 0; i < 40; i++) alerts.push(await storedAlert({ severity: 3 }));
    await n.enqueue(alerts.map((alert) => ({ alert, replayed: false })));
    await eventually(async () => hook.seen.length, (count) => count === 3, 10_000);
    expect((await delivery(alerts[39]!)).webhook!.status).toBe('throttled');

    now += 30_000;
    await n.tick();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.seen).toHaveLength(3);

    now += 30_000;
    await n.tick();
    await eventually(async () => hook.seen.length, (count) => count === 4, 10_000);
    const summary = bodies(hook)[3]!;
    expect(summary.data).toMatchObject({ reason: 'throttled', count: 37, headline: 'held back 37 alerts: module.not_allowlisted ×37' });
    const last = await eventually(() => delivery(alerts[39]!), (d) => d.webhook?.status === 'delivered', 10_000);
    expect(last.webhook!.summary_id).toBe(hook.seen[3]!.headers['webhook-id']);
    await n.stop();
  });

  it('after a restart, sends what was held back as one summary', async () => {
    const hook = await receiver([]);
    const now = (): number => Date.parse('2026-11-24T13:00:00Z');
    const config = { ...noGrouping, throttle: { perMinute: 1 } };
    const first = notifier([new WebhookSink({ url: hook.url, timeoutMs: 2000 })], config, { now });
    await first.start();
    const alerts = [await storedAlert(), await storedAlert(), await storedAlert()];
    await first.enqueue(alerts.map((alert) => ({ alert, replayed: false })));
    await eventually(async () => hook.seen.length, (count) => count === 1, 10_000);
    await first.stop();
    expect((await delivery(alerts[2]!)).webhook!.status).toBe('throttled');

    const second = notifier([new WebhookSink({ url: hook.url, timeoutMs: 2000 })], config, { now });
    await second.start();
    await eventually(async () => hook.seen.length, (count) => count === 2, 10_000);
    expect(bodies(hook)[1]!.data).toMatchObject({ reason: 'resumed', count: 2, headline: '2 alerts held back before a restart: module.not_allowlisted ×2' });
    await eventually(() => delivery(alerts[1]!), (d) => d.webhook?.status === 'delivered', 10_000);
    await second.stop();
  });

  it('resolves the PagerDuty alert when no alert with its fingerprint came for resolve.afterMinutes', async () => {
    const pd = await receiver([]);
    const routingKey = 'K'.repeat(32);
    let now = Date.parse('2026-11-24T12:00:00Z');
    const n = notifier([new PagerDutySink({ url: pd.url, routingKey, timeoutMs: 2000 })], { ...noGrouping, resolve: { afterMinutes: 10 } }, { now: () => now });
    await n.start();
    const fingerprint = `${run}-resolve`;
    await n.enqueue([{ alert: await storedAlert({ fingerprint }), replayed: false }]);
    now += 9 * 60_000;
    // Seen again before the condition cleared: the resolve moves 10 minutes on.
    await n.enqueue([{ alert: await storedAlert({ fingerprint }), replayed: false }]);
    now += 9 * 60_000;
    await n.tick();
    await eventually(async () => pd.seen.length, (count) => count === 2, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bodies(pd).map((b) => (b as unknown as { event_action: string }).event_action)).toEqual(['trigger', 'trigger']);

    now += 60_000;
    await n.tick();
    await eventually(async () => pd.seen.length, (count) => count === 3, 10_000);
    expect(JSON.parse(pd.seen[2]!.body)).toEqual({ routing_key: routingKey, event_action: 'resolve', dedup_key: fingerprint });
    expect(JSON.parse(pd.seen[0]!.body).dedup_key).toBe(fingerprint);
    await n.stop();
  });
});
