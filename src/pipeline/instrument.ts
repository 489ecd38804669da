import type { Metrics } from '../telemetry/metrics.js';
import type { BatchReport } from './batch-handler.js';

/** Turns what one batch did into metrics, the same way for every source and sink. */
export function recordBatch(metrics: Metrics, report: BatchReport): void {
  for (const [topic, count] of report.consumed) metrics.eventsConsumed.inc({ topic }, count);
  for (const [dataset, count] of report.stored) metrics.recordsStored.inc({ dataset }, count);
  if (report.replayed > 0) metrics.recordsReplayed.inc(report.replayed);
  for (const letter of report.deadLetters) metrics.deadLetters.inc({ stage: letter.stage, code: letter.code });
  for (const rule of report.alertRules) metrics.alertsRaised.inc({ rule });
  if (report.evaluationErrors > 0) metrics.evaluationErrors.inc(report.evaluationErrors);
  metrics.batchSeconds.observe(report.seconds);
}

export function recordDelivery(metrics: Metrics, sink: string, outcome: 'delivered' | 'rejected' | 'failed'): void {
  metrics.alertDeliveries.inc({ sink, outcome });
}
