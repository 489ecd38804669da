import { Kafka, Partitioners, logLevel as kafkaLogLevel } from 'kafkajs';
import type { Lifecycle } from '../core/component.js';
import { buildApiServer } from '../api/api-server.js';
import { exportJobsFromConfig } from '../export/export-jobs.js';
import { AlertNotifier } from '../alerts/alert-notifier.js';
import { configuredSinks, type NamedSinkConfig } from '../alerts/config.js';
import type { NotificationSink } from '../delivery/notification.js';
import type { Config } from '../config/schema.js';
import { defaultRetryPolicy, type RetryPolicy } from '../delivery/retry.js';
import { applyDecision } from '../evaluate/opa/apply-decision.js';
import { PolicyReloader, type ReloadResult } from '../evaluate/opa/policy-reloader.js';
import { createNormalizer } from '../normalize/normalizer.js';
import { publicJwks, loadSealKeys, type PublicSealJwk } from '../integrity/keys.js';
import { FanOutDeadLetterSink } from '../sinks/dead-letter/fan-out-dead-letter-sink.js';
import { KafkaDeadLetterSink } from '../sinks/dead-letter/kafka-dead-letter-sink.js';
import { OpenSearchDeadLetterSink } from '../sinks/dead-letter/opensearch-dead-letter-sink.js';
import { SealWriter } from '../sinks/seals/seal-writer.js';
import { OpenSearchSink } from '../sinks/opensearch/opensearch-sink.js';
import { PagerDutySink } from '../sinks/pagerduty/pagerduty-sink.js';
import { SlackSink } from '../sinks/slack/slack-sink.js';
import { TeamsSink } from '../sinks/teams/teams-sink.js';
import { WebhookSink } from '../sinks/webhook/webhook-sink.js';
import { KafkaSource } from '../sources/kafka/kafka-source.js';
import { kafkaLogCreator } from '../sources/kafka/kafka-log.js';
import { ensureTopics } from '../sources/kafka/topics.js';
import { OpenSearchAlertStore } from '../store/opensearch/alert-store.js';
import { OpenSearchOutboxStore } from '../store/opensearch/outbox-store.js';
import { createOpenSearchClient } from '../store/opensearch/client.js';
import { OpenSearchDeadLetterStore } from '../store/opensearch/dead-letter-store.js';
import { OpenSearchSealStore } from '../store/opensearch/seal-store.js';
import { IndexLifecycle } from '../store/opensearch/index-lifecycle.js';
import { KafkaLifecycleLog } from '../store/opensearch/index-lifecycle-log.js';
import { OpenSearchRetentionRecords } from '../store/opensearch/index-lifecycle-records.js';
import type { Logger } from '../telemetry/logger.js';
import { MetricsServer } from '../telemetry/metrics-server.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { recordBatch, recordDelivery } from './instrument.js';
import { createBatchHandler } from './batch-handler.js';
import { parsers } from './registry.js';
import { tuneHeapGrowth } from './heap-growth.js';

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
  /** Where the HTTP API is served, once started (undefined when api.enabled is off). */
  apiPort(): number | undefined;
  /** The public seal keys for /.well-known/jwks.json, once started (undefined when no seal keys are configured). */
  sealJwks(): { keys: PublicSealJwk[] } | undefined;
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
  const store = new OpenSearchSink(opensearch, config.opensearch.indexPrefix, { appendOnly: config.store.appendOnly });
  const indexLifecycle = new IndexLifecycle({
    client: opensearch,
    indexPrefix: config.opensearch.indexPrefix,
    config: config.store,
    // A deletion's record goes through Kafka to modtrail's own-activity topic, so it is sealed like any other.
    events: new KafkaLifecycleLog(kafka, config.kafka.topics.api),
    records: new OpenSearchRetentionRecords(opensearch, config.opensearch.indexPrefix),
    logger: logger.child({ stage: 'store-lifecycle' }),
    actor: config.opensearch.username ?? config.kafka.clientId,
  });
  const deadLetterStore = new OpenSearchDeadLetterStore(opensearch, config.opensearch.indexPrefix);
  // The topic for people and tools; the index as the evidence seals are checked against.
  const deadLetters = new FanOutDeadLetterSink([
    new KafkaDeadLetterSink(kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner }), config.kafka.topics.deadLetter),
    new OpenSearchDeadLetterSink(deadLetterStore),
  ]);
  const { keys: sealKeys, activeKid, sealEveryMs, sealEveryRecords } = config.integrity;
  const sealer =
    sealKeys === undefined
      ? undefined
      : new SealWriter(
          new OpenSearchSealStore(opensearch, config.opensearch.indexPrefix),
          deadLetterStore,
          () => loadSealKeys(sealKeys, activeKid === undefined ? {} : { activeKid }),
          { sealEveryMs, sealEveryRecords },
          logger.child({ stage: 'sealer' }),
          (error) => fail(error),
        );
  const namedSinks = new Map(configuredSinks(config.alerts).map(({ name, config: sink }) => [name, alertSink(name, sink)] as const));
  const alertSinks = [...namedSinks.values()];
  const metricsServer = new MetricsServer(metrics, config.metrics);
  const notifier = new AlertNotifier({
    config: config.alerts,
    sinks: namedSinks,
    store: new OpenSearchOutboxStore(opensearch, config.opensearch.indexPrefix),
    retryPolicy,
    logger: logger.child({ stage: 'alerts' }),
    listener: {
      status: (sink, status, count) => metrics.alertNotifications.inc({ sink, status }, count),
      settled: (sink, outcome) => recordDelivery(metrics, sink, outcome),
      attempt: (sink) => metrics.alertDeliveryAttempts.inc({ sink }),
      queued: (sink, size) => metrics.alertOutboxBacklog.set({ sink }, size),
    },
  });

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
    ...(sealer === undefined ? {} : { sealer }),
    alertStore: new OpenSearchAlertStore(opensearch, config.opensearch.indexPrefix),
    notifier,
    fingerprintBy: config.alerts.grouping.by,
    retryPolicy,
    logger: logger.child({ stage: 'pipeline' }),
    signal: abort.signal,
    onSettled: (report) => recordBatch(metrics, report),
  });
  // Export jobs exist only with the API that starts them; stopped (running ones aborted) after the API closes.
  const exportJobs = config.api.enabled
    ? exportJobsFromConfig(config, opensearch, (id, error) => logger.child({ stage: 'export' }).error({ err: error, exportId: id }, 'export failed'))
    : undefined;
  const api = config.api.enabled
    ? buildApiServer(config, {
        kafka,
        opensearch,
        normalize: createNormalizer(parsers, config.kafka.topicFormats),
        judge: (records) => evaluator.evaluate(records),
        reloadPolicy: () => evaluator.reload(),
        sealJwks: () => (sealer?.keys === undefined ? { keys: [] } : publicJwks(sealer.keys)),
        logger: logger.child({ stage: 'api' }),
        ...(exportJobs === undefined ? {} : { exports: { jobs: exportJobs } }),
      })
    : undefined;
  const source = new KafkaSource(kafka, config.kafka, handler, logger.child({ stage: 'source' }), (error) => fail(error), sealer);

  // Start order follows the data backwards, so nothing is consumed before its destination is ready.
  const downstream: Lifecycle[] = [metricsServer, evaluator, store, deadLetters, ...(sealer === undefined ? [] : [sealer]), ...alertSinks, ...(api === undefined ? [] : [api])];
  let stopping: Promise<void> | undefined;

  return {
    failed,
    metrics,
    metricsPort: () => metricsServer.port,
    apiPort: () => api?.port,
    sealJwks: () => (sealer?.keys === undefined ? undefined : publicJwks(sealer.keys)),
    reloadPolicy: () => evaluator.reload(),
    async start() {
      const heapGrowth = tuneHeapGrowth();
      if (heapGrowth !== undefined) logger.info({ v8: heapGrowth }, 'old-generation growth set for a stream of batch-lived objects');
      await admin.connect();
      const created = await ensureTopics(admin, [config.kafka.topics.proxy, config.kafka.topics.agent, config.kafka.topics.deadLetter, config.kafka.topics.api]);
      if (created.length > 0) logger.info({ topics: created }, 'created missing topics');
      await admin.disconnect();
      for (const component of downstream) await component.start();
      // Resumes what the outbox holds from the last run before new alerts arrive.
      await notifier.start();
      await source.start();
      // After the source: a deletion waits for its own record to be consumed and stored.
      await indexLifecycle.start();
      logger.info({ topics: [config.kafka.topics.proxy, config.kafka.topics.agent], opensearch: config.opensearch.node }, 'modtrail serving');
    },
    stop() {
      stopping ??= (async () => {
        await indexLifecycle.stop();
        await source.stop();
        abort.abort(new Error('service stopping'));
        await notifier.stop();
        for (const component of [...downstream].reverse()) await component.stop();
        await exportJobs?.stop();
        await opensearch.close();
        logger.info('modtrail stopped');
      })();
      return stopping;
    },
  };
}

/** One alert sink from its configuration, under its configured name. */
function alertSink(name: string, sink: NamedSinkConfig): NotificationSink {
  switch (sink.type) {
    case 'webhook':
      return new WebhookSink(sink, undefined, name);
    case 'slack':
      return new SlackSink(sink, name);
    case 'teams':
      return new TeamsSink(sink, name);
    case 'pagerduty':
      return new PagerDutySink(sink, name);
  }
}
