import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@opensearch-project/opensearch';
import type { Lifecycle } from '../../core/component.js';
import { eventId } from '../../normalize/event-id.js';
import type { Logger } from '../../telemetry/logger.js';
import type { StoreConfig } from './index-lifecycle-config.js';
import type { LifecycleEventLog } from './index-lifecycle-log.js';
import { parseManagedIndex, planLifecycle, type ManagedIndex } from './index-lifecycle-plan.js';
import type { RetentionRecords } from './index-lifecycle-records.js';
import { retentionEvent } from './retention-record.js';

export interface IndexLifecycleOptions {
  client: Client;
  indexPrefix: string;
  config: StoreConfig;
  /** modtrail's own-activity topic: each deletion is an event there first, consumed, stored and sealed like any other. */
  events: LifecycleEventLog;
  /** The stored audit records, read back to see the deletion's record stored before the index goes. */
  records: RetentionRecords;
  logger: Logger;
  /** Who the deletion records name: the OpenSearch user modtrail writes as, else the service. */
  actor: string;
  now?: () => Date;
  host?: string;
  /** How often the stored record is looked for while a deletion waits. */
  pollMs?: number;
}

export interface SweepReport {
  writeBlocked: string[];
  /** Past retention, whether or not deleted. */
  expired: string[];
  deleted: string[];
  failures: { index: string; step: 'write-block' | 'record' | 'delete'; code: 'store.lifecycle_failed'; reason: string }[];
  /** The id of the stored record each deleted index was recorded under. */
  records: Record<string, string>;
}

interface Listed extends ManagedIndex {
  uuid: string;
}

/**
 * On start and then periodically: write-blocks modtrail's daily indices once their grace period is over and,
 * only when `store.retention.deleteExpired` is on, deletes those past retention once each deletion's record, produced
 * to Kafka and consumed by the pipeline like any event, is stored (and so will be hashed and sealed).
 * It touches nothing whose name is not exactly `<prefix>-<kind>-YYYY.MM.DD`, and deletes by exact name only.
 */
export class IndexLifecycle implements Lifecycle {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepReport> | undefined;
  private readonly now: () => Date;
  private readonly host: string;
  private readonly stopping = new AbortController();

  constructor(private readonly options: IndexLifecycleOptions) {
    this.now = options.now ?? (() => new Date());
    this.host = options.host ?? hostname();
  }

  async start(): Promise<void> {
    const { lifecycle } = this.options.config;
    if (!lifecycle.enabled) return;
    // A failed sweep must not stop ingestion: it is logged and tried again at the next interval. Not awaited: a
    // deletion waits for its record to come back through the pipeline, which must not hold up the service's start.
    void this.sweep().catch((error: unknown) => this.options.logger.error({ err: error, code: 'store.lifecycle_failed' }, 'index lifecycle sweep failed'));
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.options.logger.error({ err: error, code: 'store.lifecycle_failed' }, 'index lifecycle sweep failed'));
    }, lifecycle.intervalMinutes * 60_000);
    this.timer.unref();
  }

  /** Cuts short a deletion waiting for its record (the index is kept), then closes the producer. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopping.abort();
    await this.running?.catch(() => undefined);
    await this.options.events.stop();
  }

  /** One pass; concurrent callers share the pass under way. */
  sweep(): Promise<SweepReport> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepOnce(): Promise<SweepReport> {
    const { config, logger } = this.options;
    const indices = await this.list();
    const plan = planLifecycle(indices, this.now(), { writeBlockAfterDays: config.lifecycle.writeBlockAfterDays, retentionDays: config.retention.days });
    const report: SweepReport = { writeBlocked: [], expired: plan.expired, deleted: [], failures: [], records: {} };
    const byName = new Map(indices.map((index) => [index.name, index]));

    for (const name of plan.writeBlock) {
      try {
        await this.options.client.indices.putSettings({ index: name, body: { 'index.blocks.write': true } });
        byName.get(name)!.writeBlocked = true;
        report.writeBlocked.push(name);
      } catch (error) {
        report.failures.push({ index: name, step: 'write-block', code: 'store.lifecycle_failed', reason: describe(error) });
      }
    }
    if (report.writeBlocked.length > 0) logger.info({ indices: report.writeBlocked }, 'write-blocked daily indices past their grace period');

    if (config.retention.deleteExpired) {
      for (const name of plan.expired) {
        const index = byName.get(name)!;
        // Only a closed day is deleted: one that could still take writes would lose them.
        if (!index.writeBlocked || this.stopping.signal.aborted) continue;
        await this.deleteRecorded(index, report);
      }
    } else if (plan.expired.length > 0) {
      logger.info({ count: plan.expired.length, oldest: plan.expired[0] }, 'indices past retention kept (store.retention.deleteExpired is off)');
    }
    for (const failure of report.failures) logger.warn(failure, 'index lifecycle step failed; tried again at the next sweep');
    return report;
  }

  private async deleteRecorded(index: Listed, report: SweepReport): Promise<void> {
    const { client } = this.options;
    const fail = (step: 'record' | 'delete', reason: string) => report.failures.push({ index: index.name, step, code: 'store.lifecycle_failed', reason });
    let documents: number;
    let id: string;
    try {
      // A refresh first, so the count includes documents written just before the block.
      await client.indices.refresh({ index: index.name });
      documents = (await client.count({ index: index.name })).body.count as number;
      // A deletion cut short after its record was stored (a crash, a timeout) is not recorded twice.
      const earlier = await this.options.records.deletionOf(index.uuid);
      id = earlier ?? (await this.recordDeletion(index, documents));
    } catch (error) {
      fail('record', `deletion record not stored, index kept: ${describe(error)}`);
      return;
    }
    try {
      await client.indices.delete({ index: index.name });
      report.deleted.push(index.name);
      report.records[index.name] = id;
      this.options.logger.info({ index: index.name, documents, record: id }, 'deleted index past retention (its record stored first)');
    } catch (error) {
      fail('delete', describe(error));
    }
  }

  /** Produces the deletion event and waits until the pipeline has stored its record; throws when it is not in time. */
  private async recordDeletion(index: Listed, documents: number): Promise<string> {
    const { config, events, records } = this.options;
    const event = retentionEvent({
      index: index.name,
      uuid: index.uuid,
      documents,
      day: index.day.toISOString().slice(0, 10),
      retentionDays: config.retention.days,
      actor: this.options.actor,
      host: this.host,
      at: this.now(),
    });
    const raw = JSON.stringify(event);
    const origin = await events.append(raw, index.uuid);
    // The pipeline names the record by where Kafka put the event and its exact bytes.
    const id = eventId(origin, raw);
    const deadline = Date.now() + config.retention.recordTimeoutSeconds * 1000;
    const pollMs = this.options.pollMs ?? 500;
    for (;;) {
      if (await records.stored(id, event.time)) return id;
      if (this.stopping.signal.aborted) throw new Error(`stopping before record ${id} (${origin.topic}/${origin.partition}@${origin.offset}) was stored`);
      if (Date.now() >= deadline) {
        throw new Error(`record ${id} (${origin.topic}/${origin.partition}@${origin.offset}) not stored within ${config.retention.recordTimeoutSeconds}s`);
      }
      await sleep(pollMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
  }

  private async list(): Promise<Listed[]> {
    const { client, indexPrefix } = this.options;
    const { body } = await client.indices.getSettings({ index: `${indexPrefix}-*`, flat_settings: true, expand_wildcards: 'open', allow_no_indices: true });
    const listed: Listed[] = [];
    for (const [name, entry] of Object.entries(body as Record<string, { settings: Record<string, unknown> }>)) {
      const managed = parseManagedIndex(indexPrefix, name, String(entry.settings['index.blocks.write']) === 'true');
      if (managed) listed.push({ ...managed, uuid: String(entry.settings['index.uuid']) });
    }
    return listed;
  }
}

function describe(error: unknown): string {
  const body = (error as { meta?: { body?: { error?: { type?: string; reason?: string } } } }).meta?.body?.error;
  if (body?.type) return `${body.type}: ${body.reason ?? ''}`;
  return error instanceof Error ? error.message : String(error);
}
