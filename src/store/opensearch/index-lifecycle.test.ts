import type { Client } from '@opensearch-project/opensearch';
import { describe, expect, it } from 'vitest';
import type { EventOrigin } from '../../core/component.js';
import { eventId } from '../../normalize/event-id.js';
import type { LifecycleEventV1 } from '../../normalize/modtrail-lifecycle/lifecycle-event.js';
import { createLogger } from '../../telemetry/logger.js';
import { storeConfigSchema } from './index-lifecycle-config.js';
import { IndexLifecycle } from './index-lifecycle.js';

/** A fake cluster that logs every call in order; the real server is exercised in test/integration/storage-lifecycle. */
function fakeCluster(indices: Record<string, { blocked?: boolean }>, failBlock = false) {
  const calls: string[] = [];
  const client = {
    indices: {
      getSettings: async () => ({
        body: Object.fromEntries(Object.entries(indices).map(([name, i]) => [name, { settings: { 'index.uuid': `uuid-${name}`, 'index.blocks.write': String(i.blocked ?? false) } }])),
      }),
      putSettings: async ({ index }: { index: string }) => {
        calls.push(`block ${index}`);
        if (failBlock) throw new Error('no permission');
        return { body: {} };
      },
      refresh: async () => ({ body: {} }),
      delete: async ({ index }: { index: string }) => {
        calls.push(`delete ${index}`);
        return { body: {} };
      },
    },
    count: async () => ({ body: { count: 7 } }),
  };
  return { client: client as unknown as Client, calls };
}

const now = () => new Date('2026-11-24T12:00:00Z');
const config = (deleteExpired: boolean, enabled = true) =>
  storeConfigSchema.parse({ lifecycle: { enabled }, retention: { days: 30, deleteExpired, recordTimeoutSeconds: 1 } });

interface Pipeline {
  /** After how many looks the produced record is stored; Infinity: never. */
  storedAfterPolls?: number;
  /** A record already stored for this index uuid (an earlier, cut-short deletion). */
  earlier?: string;
  failAppend?: boolean;
}

/** A fake Kafka topic and pipeline: produced events get consecutive offsets and are "stored" after some polls. */
function lifecycle(client: Client, deleteExpired: boolean, pipeline: Pipeline, calls: string[], enabled = true) {
  const produced: { value: string; key: string; origin: EventOrigin }[] = [];
  const lookedUp: string[] = [];
  let polls = 0;
  const events = {
    append: async (value: string, key: string) => {
      if (pipeline.failAppend) throw new Error('broker not available');
      const origin = { topic: 'modtrail.api', partition: 1, offset: String(40 + produced.length) };
      produced.push({ value, key, origin });
      calls.push(`produce ${(JSON.parse(value) as LifecycleEventV1).index.name}`);
      return origin;
    },
    stop: async () => void calls.push('producer closed'),
  };
  const records = {
    stored: async (id: string) => {
      lookedUp.push(id);
      polls++;
      const stored = polls > (pipeline.storedAfterPolls ?? 0);
      if (stored) calls.push(`stored ${id.slice(0, 8)}`);
      return stored;
    },
    deletionOf: async () => pipeline.earlier,
  };
  const component = new IndexLifecycle({ client, indexPrefix: 'mt', config: config(deleteExpired, enabled), events, records, logger: createLogger('silent'), actor: 'svc', now, host: 'h', pollMs: 10 });
  return { produced, lookedUp, component };
}

describe('IndexLifecycle', () => {
  it('blocks, produces the deletion event, waits for its record to be stored, and only then deletes the expired daily index', async () => {
    const { client, calls } = fakeCluster({ 'mt-audit-2026.01.01': {}, 'mt-audit-2026.11.20': {}, 'mt-audit-2026.11.10': { blocked: true }, 'mt-other-2026.01.01': {} });
    const { component, produced, lookedUp } = lifecycle(client, true, { storedAfterPolls: 3 }, calls);
    const report = await component.sweep();
    const [event] = produced;
    const id = eventId(event!.origin, event!.value);
    expect(calls).toEqual(['block mt-audit-2026.01.01', 'produce mt-audit-2026.01.01', `stored ${id.slice(0, 8)}`, 'delete mt-audit-2026.01.01']);
    expect(lookedUp).toEqual([id, id, id, id]);
    expect(report).toMatchObject({ writeBlocked: ['mt-audit-2026.01.01'], expired: ['mt-audit-2026.01.01'], deleted: ['mt-audit-2026.01.01'], failures: [], records: { 'mt-audit-2026.01.01': id } });
    expect(JSON.parse(event!.value)).toMatchObject({
      schema: 'modtrail.lifecycle/v1',
      action: 'index.delete',
      index: { name: 'mt-audit-2026.01.01', uuid: 'uuid-mt-audit-2026.01.01', day: '2026-01-01', documents: 7 },
      actor: 'svc',
      host: 'h',
    });
    expect(event!.key).toBe('uuid-mt-audit-2026.01.01');
  });

  it('keeps the index and reports store.lifecycle_failed when the record is not stored in time', async () => {
    const { client, calls } = fakeCluster({ 'mt-audit-2026.01.01': { blocked: true } });
    const started = Date.now();
    const report = await lifecycle(client, true, { storedAfterPolls: Infinity }, calls).component.sweep();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(calls).toEqual(['produce mt-audit-2026.01.01']);
    expect(report.deleted).toEqual([]);
    expect(report.failures).toEqual([
      { index: 'mt-audit-2026.01.01', step: 'record', code: 'store.lifecycle_failed', reason: expect.stringMatching(/index kept: record [0-9a-f]{40} \(modtrail\.api\/1@40\) not stored within 1s/) },
    ]);
  });

  it('keeps the index when the event cannot be produced', async () => {
    const { client, calls } = fakeCluster({ 'mt-audit-2026.01.01': { blocked: true } });
    const report = await lifecycle(client, true, { failAppend: true }, calls).component.sweep();
    expect(calls).toEqual([]);
    expect(report.failures).toEqual([expect.objectContaining({ step: 'record', reason: 'deletion record not stored, index kept: broker not available' })]);
  });

  it('does not record a deletion twice: an earlier stored record of the same index uuid is reused', async () => {
    const { client, calls } = fakeCluster({ 'mt-audit-2026.01.01': { blocked: true } });
    const { component, produced } = lifecycle(client, true, { earlier: 'e'.repeat(40) }, calls);
    const report = await component.sweep();
    expect(produced).toEqual([]);
    expect(calls).toEqual(['delete mt-audit-2026.01.01']);
    expect(report.records).toEqual({ 'mt-audit-2026.01.01': 'e'.repeat(40) });
  });

  it('stop cuts a waiting deletion short and keeps the index', async () => {
    const { client, calls } = fakeCluster({ 'mt-audit-2026.01.01': { blocked: true } });
    const { component } = lifecycle(client, true, { storedAfterPolls: Infinity }, calls);
    const sweep = component.sweep();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await component.stop();
    const report = await sweep;
    expect(calls).toEqual(['produce mt-audit-2026.01.01', 'producer closed']);
    expect(report.failures).toEqual([expect.objectContaining({ step: 'record', reason: expect.stringContaining('stopping before record') })]);
  });

  it('never deletes a day it could not write-block first', async () => {
    const { client, calls } = fakeCluster({ 'mt-audit-2026.01.01': {} }, true);
    const report = await lifecycle(client, true, {}, calls).component.sweep();
    expect(calls).toEqual(['block mt-audit-2026.01.01']);
    expect(report.failures).toEqual([expect.objectContaining({ step: 'write-block', reason: 'no permission' })]);
  });

  it('deletes nothing while deleteExpired is off', async () => {
    const { client, calls } = fakeCluster({ 'mt-audit-2026.01.01': { blocked: true } });
    const report = await lifecycle(client, false, {}, calls).component.sweep();
    expect(calls).toEqual([]);
    expect(report.expired).toEqual(['mt-audit-2026.01.01']);
  });

  it('does nothing at start when turned off (the ISM policy runs instead)', async () => {
    const { client, calls } = fakeCluster({ 'mt-audit-2026.01.01': {} });
    const { component } = lifecycle(client, true, {}, calls, false);
    await component.start();
    await component.stop();
    expect(calls).toEqual(['producer closed']);
  });
});
