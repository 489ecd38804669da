import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, in one registry; components never count themselves (pipeline/instrument.ts does). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'modtrail_process_' });
  const metric = { registers: [registry] };
  return {
    registry,
    eventsConsumed: new Counter({ name: 'modtrail_events_consumed_total', help: 'Raw events handed to the pipeline', labelNames: ['topic'], ...metric }),
    recordsStored: new Counter({ name: 'modtrail_records_stored_total', help: 'Audit records durably stored', labelNames: ['dataset'], ...metric }),
    recordsReplayed: new Counter({ name: 'modtrail_records_replayed_total', help: 'Records already stored (replays), not stored twice', ...metric }),
    deadLetters: new Counter({ name: 'modtrail_dead_letters_total', help: 'Events dead-lettered, by stage and reason code', labelNames: ['stage', 'code'], ...metric }),
    alertsRaised: new Counter({ name: 'modtrail_alerts_raised_total', help: 'Alerts stored for the first time', labelNames: ['rule'], ...metric }),
    alertDeliveries: new Counter({ name: 'modtrail_alert_deliveries_total', help: 'Alert deliveries by sink and outcome', labelNames: ['sink', 'outcome'], ...metric }),
    alertNotifications: new Counter({ name: 'modtrail_alert_notifications_total', help: 'Alerts reaching a delivery status, by sink: pending, grouped, throttled, delivered, failed', labelNames: ['sink', 'status'], ...metric }),
    alertDeliveryAttempts: new Counter({ name: 'modtrail_alert_delivery_attempts_total', help: 'Requests made to alert sinks, retries included', labelNames: ['sink'], ...metric }),
    alertOutboxBacklog: new Gauge({ name: 'modtrail_alert_outbox_backlog', help: 'Notifications queued or in flight, by sink', labelNames: ['sink'], ...metric }),
    evaluationErrors: new Counter({ name: 'modtrail_evaluation_errors_total', help: 'Records stored unjudged because evaluation failed', ...metric }),
    policyReloads: new Counter({ name: 'modtrail_policy_reloads_total', help: 'Policy bundle or data reloads, loaded or refused', labelNames: ['outcome'], ...metric }),
    batchSeconds: new Histogram({ name: 'modtrail_batch_seconds', help: 'Time to settle one batch', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], ...metric }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
