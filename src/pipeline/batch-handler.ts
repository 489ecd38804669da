import type { Alert, BatchHandler, DeadLetter, DeadLetterSink, Evaluator, ParseResult, RawEvent, RecordSink, Sealer } from '../core/component.js';
import type { AuditRecord, Decision } from '../core/record.js';
import { alertFor, type AlertStore } from '../alerts/alert-raiser.js';
import type { AlertNotifier } from '../alerts/alert-notifier.js';
import type { FingerprintField } from '../alerts/config.js';
import { withHash } from '../integrity/record-hash.js';
import type { RetryPolicy } from '../delivery/retry.js';
import { settleWrites } from '../delivery/settle-writes.js';
import type { Logger } from '../telemetry/logger.js';

export interface BatchStages {
  normalize: (event: RawEvent, ingestedAt: Date) => ParseResult;
  evaluator: Evaluator;
  applyDecision: (record: AuditRecord, decision: Decision) => AuditRecord;
  store: RecordSink;
  deadLetters: DeadLetterSink;
  /** Accounts for every settled offset in signed seals (absent only where no seal keys are configured). */
  sealer?: Sealer;
  alertStore: AlertStore;
  notifier: Pick<AlertNotifier, 'enqueue'>;
  /** Which fields make an alert's fingerprint (alerts.grouping.by); all of them when absent. */
  fingerprintBy?: readonly FingerprintField[];
  retryPolicy: RetryPolicy;
  logger: Logger;
  signal?: AbortSignal;
  /** Told what each settled batch did (counted by pipeline/instrument.ts). */
  onSettled?: (report: BatchReport) => void;
}

/** What one settled batch did, for metrics and logs. */
export interface BatchReport {
  consumed: Map<string, number>;
  stored: Map<string, number>;
  replayed: number;
  deadLetters: { stage: DeadLetter['stage']; code: string }[];
  alertRules: string[];
  evaluationErrors: number;
  seconds: number;
}

interface Pending {
  event: RawEvent;
  record: AuditRecord;
}

/**
 * sources → normalize → evaluate → store, then dead letters and alerts, then (at its turn) the sealer. Resolves
 * only when every event is stored or dead-lettered and every alert is durably recorded; throws (so nothing is
 * sealed or committed) otherwise.
 */
export function createBatchHandler(stages: BatchStages): BatchHandler {
  // Each partition's latest record write. Two bulks of one shard at once gave OpenSearch twice the segments to merge.
  const writing = new Map<string, Promise<unknown>>();
  return async (events, turn) => {
    const started = process.hrtime.bigint();
    const consumed = tally(events.map((event) => event.origin.topic));
    const letters: DeadLetter[] = [];
    const judged = await prepare(events, stages, letters);

    // A batch is computed while the one before it is written, but written only after it: one bulk per partition at a time.
    const lane = events.length === 0 ? '' : `${events[0]!.origin.topic}\u0000${events[0]!.origin.partition}`;
    const write = (writing.get(lane) ?? Promise.resolve()).then(() =>
      settleWrites(judged, (pending) => stages.store.write(pending.map((p) => p.record)), stages.retryPolicy, stages.signal),
    );
    // The lane's tail settles either way (the failure is this batch's to throw), then leaves the map if nothing followed.
    const tail: Promise<void> = write.then(forget, forget).then(() => {
      if (writing.get(lane) === tail) writing.delete(lane);
    });
    writing.set(lane, tail);
    const written = await write;
    for (const { item, code, reason } of written.rejected) letters.push({ event: item.event, stage: 'store', code, reason });

    await stages.deadLetters.write(letters);

    const alerts = written.delivered.map(({ item }) => alertFor(item.record, stages.fingerprintBy)).filter((alert): alert is Alert => alert !== undefined);
    const saved = await settleWrites(alerts, (pending) => stages.alertStore.save(pending), stages.retryPolicy, stages.signal);
    for (const { item, reason } of saved.rejected) stages.logger.error({ alert: item.id, reason }, 'alert record refused by the store');
    // Notifications reach the outbox before the offsets can be sealed (and so committed); a replayed alert is enqueued only if it never was.
    await stages.notifier.enqueue(saved.delivered.map(({ item, duplicate }) => ({ alert: item, replayed: duplicate })));

    // Everything above may overlap the batches before this one; the sealer sees batches in offset order only.
    await turn;
    await stages.sealer?.settled({ records: written.delivered.map(({ item, duplicate }) => ({ record: item.record, duplicate })), deadLetters: letters });

    const report: BatchReport = {
      consumed,
      stored: tally(written.delivered.filter((d) => !d.duplicate).map((d) => d.item.record.event.dataset)),
      replayed: written.delivered.filter((d) => d.duplicate).length,
      deadLetters: letters.map(({ stage, code }) => ({ stage, code })),
      alertRules: saved.delivered.filter((d) => !d.duplicate).flatMap((d) => d.item.rule.id),
      evaluationErrors: judged.filter((p) => p.record.modtrail?.evaluation_error !== undefined).length,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
    stages.onSettled?.(report);
    stages.logger.debug({ events: events.length, stored: written.delivered.length, deadLettered: letters.length, alerts: alerts.length }, 'batch handled');
  };
}

const forget = (): void => undefined;

function tally(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/**
 * Normalized, judged and hashed records, ready to store; rejections go to `letters`. A function of its own so the
 * intermediate copies (normalized, judged) are garbage once it returns, not kept while the batch is written.
 */
async function prepare(events: readonly RawEvent[], stages: BatchStages, letters: DeadLetter[]): Promise<Pending[]> {
  const ingestedAt = new Date();
  const parsed: Pending[] = [];
  for (const event of events) {
    const result = stages.normalize(event, ingestedAt);
    if (result.ok) parsed.push({ event, record: result.record });
    else letters.push({ event, stage: 'normalize', ...result.rejection });
  }
  return hashAll(await judge(parsed, stages), letters);
}

/** Sets event.hash on each judged record (the hash covers the decision); one that cannot be hashed is dead-lettered. */
function hashAll(judged: Pending[], letters: DeadLetter[]): Pending[] {
  const hashed: Pending[] = [];
  for (const p of judged) {
    try {
      hashed.push({ event: p.event, record: withHash(p.record) });
    } catch (error) {
      letters.push({ event: p.event, stage: 'store', code: 'integrity.unhashable', reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return hashed;
}

/** One policy call for the batch; if it fails, record by record, so one bad record cannot block the rest. */
async function judge(parsed: Pending[], stages: BatchStages): Promise<Pending[]> {
  if (parsed.length === 0) return parsed;
  try {
    const decisions = await stages.evaluator.evaluate(parsed.map((p) => p.record));
    return parsed.map((p, i) => ({ event: p.event, record: stages.applyDecision(p.record, decisions[i]!) }));
  } catch (batchError) {
    stages.logger.warn({ err: batchError }, 'batch evaluation failed; judging records one by one');
    const judged: Pending[] = [];
    for (const p of parsed) {
      try {
        const [decision] = await stages.evaluator.evaluate([p.record]);
        judged.push({ ...p, record: stages.applyDecision(p.record, decision!) });
      } catch (error) {
        // The record is still evidence: store it unjudged, saying why, rather than lose it.
        const message = error instanceof Error ? error.message : String(error);
        judged.push({ ...p, record: { ...p.record, modtrail: { ...p.record.modtrail, evaluation_error: message } } });
      }
    }
    return judged;
  }
}
