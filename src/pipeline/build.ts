import { Kafka, Partitioners, logLevel as kafkaLogLevel } from 'kafkajs';
import type { AlertSink, Lifecycle } from '../core/component.js';
import type { Config } from '../config/schema.js';
import { defaultRetryPolicy, type RetryPolicy } from '../delivery/retry.js';
import { Notifier } from '../delivery/notifier.js';
import { applyDecision } from '../evaluate/opa/apply-decision.js';
import { PolicyReloader, type ReloadResult } from '../evaluate/opa/policy-reloader.js';
import { createNormalizer } from '../normalize/normalizer.js';
import { KafkaDeadLetterSink } from '../sinks/dead-letter/kafka-dead-letter-sink.js';
import { OpenSearchSink } from '../sinks/opensearch/opensearch-sink.js';
import { PagerDutySink } from '../sinks/pagerduty/pagerduty-sink.js';
import { SlackSink } from '../sinks/slack/slack-sink.js';
import { TeamsSink } from '../sinks/teams/teams-sink.js';
import { WebhookSink } from '../sinks/webhook/webhook-sink.js';
import { KafkaSource } from '../sources/kafka/kafka-source.js';
import { kafkaLogCreator } from '../sources/kafka/kafka-log.js';
import { ensureTopics } from '../sources/kafka/topics.js';
import { OpenSearchAlertStore } from '../store/opensearch/alert-store.js';
import { createOpenSearchClient } from '../store/opensearch/client.js';
import type { Logger } from '../telemetry/logger.js';
import { MetricsServer } from '../telemetry/metrics-server.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { recordBatch, recordDelivery } from './instrument.js';
import { createBatchHandler } from './batch-handler.js';
import { parsers } from './registry.js';

export interface Service {
  start(): Promise<void>;
  /** Idempotent: stops the source first, then flushes and closes every stage after it. */
  stop(): Promise<void>;
  /** Rejects when a component fails beyond recovery (e.g. the consumer crashed for good). */
  failed: Promise<never>;
  metrics: Metrics;
  /** Loads the policy bundle and data again (also done on file changes when policy.watch is on). */
  reloadPolicy(): Promise<ReloadResult>;
  /** Where /metrics is served, once started (undefined when turned off). */
  metricsPort(): number | undefined;
}

/** Wires the stages for `modtrail serve`: Kafka source → normalize → OPA → OpenSearch, dead letters, alerts. */
export function buildService(config: Readonly<Config>, logger: Logger, retryPolicy: RetryPolicy = defaultRetryPolicy): Service {
  const kafka = new Kafka({
    clientId: config.kafka.clientId,
    brokers: [...config.kafka.brokers],
    logLevel: kafkaLogLevel.WARN,
    logCreator: kafkaLogCreator(logger),
  });
  const admin = kafka.admin();
  const opensearch = createOpenSearchClient(config.opensearch);
  const abort = new AbortController();

  const metrics = createMetrics();
  const evaluator = new PolicyReloader({ bundleDir: config.policy.bundleDir, dataFile: config.policy.dataFile }, logger.child({ stage: 'policy' }), {
    watch: config.policy.watch,
    debounceMs: 250,
    onReload: (result) => metrics.policyReloads.inc({ outcome: result.ok ? 'loaded' : 'refused' }),
  });
  const store = new OpenSearchSink(opensearch, config.opensearch.indexPrefix);
  const deadLetters = new KafkaDeadLetterSink(kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner }), config.kafka.topics.deadLetter);
  const alertSinks: AlertSink[] = [];
  const { webhook, slack, teams, pagerduty } = config.alerts;
  if (webhook.url) alertSinks.push(new WebhookSink({ ...webhook, url: webhook.url }));
  if (slack.url) alertSinks.push(new SlackSink({ ...slack, url: slack.url }));
  if (teams.url) alertSinks.push(new TeamsSink({ ...teams, url: teams.url }));
  if (pagerduty.routingKey) alertSinks.push(new PagerDutySink({ ...pagerduty, routingKey: pagerduty.routingKey }));
  const metricsServer = new MetricsServer(metrics, config.metrics);
  const notifier = new Notifier(alertSinks, retryPolicy, logger.child({ stage: 'alerts' }), (sink, outcome) => recordDelivery(metrics, sink, outcome));

  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);

  const handler = createBatchHandler({
    normalize: createNormalizer(parsers, config.kafka.topicFormats),
    evaluator,
    applyDecision,
    store,
    deadLetters,
    alertStore: new OpenSearchAlertStore(opensearch, config.opensearch.indexPrefix),
    notifier,
    retryPolicy,
    logger: logger.child({ stage: 'pipeline' }),
    signal: abort.signal,
    onSettled: (report) => recordBatch(metrics, report),
  });
  const source = new KafkaSource(kafka, config.kafka, handler, logger.child({ stage: 'source' }), (error) => fail(error));

  // Start order follows the data backwards, so nothing is consumed before its destination is ready.
  const downstream: Lifecycle[] = [metricsServer, evaluator, store, deadLetters, ...alertSinks];
  let stopping: Promise<void> | undefined;

  return {
    failed,
    metrics,
    metricsPort: () => metricsServer.port,
    reloadPolicy: () => evaluator.reload(),
    async start() {
      await admin.connect();
      const created = await ensureTopics(admin, [config.kafka.topics.proxy, config.kafka.topics.agent, config.kafka.topics.deadLetter]);
      if (created.length > 0) logger.info({ topics: created }, 'created missing topics');
      await admin.disconnect();
      for (const component of downstream) await component.start();
      await source.start();
      logger.info({ topics: [config.kafka.topics.proxy, config.kafka.topics.agent], opensearch: config.opensearch.node }, 'modtrail serving');
    },
    stop() {
      stopping ??= (async () => {
        await source.stop();
        abort.abort(new Error('service stopping'));
        await notifier.stop();
        for (const component of [...downstream].reverse()) await component.stop();
        await opensearch.close();
        logger.info('modtrail stopped');
      })();
      return stopping;
    },
  };
}
