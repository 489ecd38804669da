// Routing through the whole service: Kafka → normalize → evaluate → OpenSearch → outbox → two teams' webhooks on loopback.
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import type { DeliveryEntry } from '../../src/delivery/notification.js';
import { buildService } from '../../src/pipeline/build.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { removeTestData } from '../support/cleanup.js';
import { eventually, produce, testKafka } from '../support/kafka-topics.js';
import { loopbackReceivers } from '../support/loopback-receiver.js';

const run = randomUUID().slice(0, 8);
const topics = { proxy: `route-proxy-${run}`, agent: `route-agent-${run}`, deadLetter: `route-dlq-${run}`, api: `route-api-${run}` };
const indexPrefix = `alerts-routing-${run}`;
const kafka = testKafka(inject('kafkaBrokers'));
const opensearch = new Client({ node: inject('opensearchUrl') });
const receiver = loopbackReceivers({ path: '/hook' });

const line = (module: string, id: string): string =>
  JSON.stringify({ time: '2026-11-24T08:00:00Z', level: 'info', msg: 'incoming request', 'http-method': 'GET', 'http-path': `/${module}/@v/v1.0.0.zip`, 'http-status': 200, 'request-id': id });

interface StoredAlert {
  package?: { name: string };
  delivery?: Record<string, DeliveryEntry>;
}

async function storedAlerts(): Promise<StoredAlert[]> {
  await opensearch.indices.refresh({ index: `${indexPrefix}-alerts` });
  const response = await opensearch.search({ index: `${indexPrefix}-alerts`, body: { size: 100 } });
  return (response.body.hits.hits as unknown as { _source: StoredAlert }[]).map((hit) => hit._source);
}

describe('alert routing through the service', () => {
  afterAll(async () => {
    await removeTestData({ kafka, topics: Object.values(topics), opensearch, indexPrefix });
    await opensearch.close();
  });

  it('sends each team its alerts, the rest to the default route, and shows delivery per sink in the alerts index and metrics', async () => {
    const teamA = await receiver([]);
    const teamB = await receiver([]);
    const config = configSchema.parse({
      log: { level: 'warn' },
      kafka: { brokers: inject('kafkaBrokers'), groupId: `route-${run}`, topics, topicFormats: { [topics.proxy]: 'athens' } },
      opensearch: { node: inject('opensearchUrl'), indexPrefix },
      alerts: {
        sinks: { 'team-a': { type: 'webhook', url: teamA.url }, 'team-b': { type: 'webhook', url: teamB.url } },
        routes: [
          { name: 'team-a-modules', sinks: ['team-a'], modulePrefixes: [`github.com/unvetted-a-${run}/`] },
          { name: 'team-b-modules', sinks: ['team-b'], modulePrefixes: [`github.com/unvetted-b-${run}/`] },
        ],
        defaultRoute: { sinks: ['team-b'] },
      },
      metrics: { port: 0 },
    });
    const service = buildService(config, createLogger('silent'), { initialDelayMs: 50, maxDelayMs: 500, maxElapsedMs: 20_000, multiplier: 2 });
    await service.start();
    try {
      await produce(kafka, topics.proxy, [
        { value: line(`github.com/unvetted-a-${run}/lib`, 'r-a') },
        { value: line(`github.com/unvetted-b-${run}/lib`, 'r-b') },
        { value: line(`github.com/elsewhere-${run}/lib`, 'r-c') },
      ]);
      await eventually(async () => teamA.seen.length + teamB.seen.length, (count) => count === 3, 60_000);
      const modules = (seen: typeof teamA.seen): string[] => seen.map((r) => (JSON.parse(r.body) as { data: { record: { module: string } } }).data.record.module).sort();
      expect(modules(teamA.seen)).toEqual([`github.com/unvetted-a-${run}/lib`]);
      expect(modules(teamB.seen)).toEqual([`github.com/elsewhere-${run}/lib`, `github.com/unvetted-b-${run}/lib`]);

      const alerts = await eventually(storedAlerts, (found) => found.length === 3 && found.every((a) => Object.values(a.delivery ?? {}).some((d) => d.status === 'delivered')), 20_000);
      const byModule = new Map(alerts.map((alert) => [alert.package!.name, alert.delivery!]));
      expect(byModule.get(`github.com/unvetted-a-${run}/lib`)).toEqual({ 'team-a': expect.objectContaining({ status: 'delivered', routes: ['team-a-modules'], attempts: 1 }) });
      expect(byModule.get(`github.com/elsewhere-${run}/lib`)).toEqual({ 'team-b': expect.objectContaining({ status: 'delivered', routes: ['default'] }) });

      const metrics = await (await fetch(`http://127.0.0.1:${service.metricsPort()}/metrics`)).text();
      expect(metrics).toContain('modtrail_alert_notifications_total{sink="team-a",status="pending"} 1');
      expect(metrics).toContain('modtrail_alert_notifications_total{sink="team-b",status="delivered"} 2');
      expect(metrics).toContain('modtrail_alert_deliveries_total{sink="team-a",outcome="delivered"} 1');
      expect(metrics).toContain('modtrail_alert_delivery_attempts_total{sink="team-b"} 2');
      expect(metrics).toContain('modtrail_alert_outbox_backlog{sink="team-a"} 0');
    } finally {
      await service.stop();
    }
  });
});
