import { describe, expect, it } from 'vitest';
import type { RawEvent, Settlement } from '../core/component.js';
import type { AuditRecord, Decision } from '../core/record.js';
import { minimalRecord } from '../../test/support/sample-record.js';
import { createLogger } from '../telemetry/logger.js';
import { createBatchHandler } from './batch-handler.js';

const event = (topic: string, partition: number, offset: number): RawEvent => ({
  value: Buffer.from(`line ${offset}`),
  headers: {},
  origin: { topic, partition, offset: String(offset) },
  receivedAt: new Date('2024-06-01T07:30:00.000Z'),
});

/** A store that answers each bulk only when the test says so, and remembers how many bulks were open at once. */
function heldStore() {
  const open: { ids: string[]; answer: () => void }[] = [];
  let mostAtOnce = 0;
  let waiters: (() => void)[] = [];
  const store = {
    name: 'held',
    start: async () => undefined,
    stop: async () => undefined,
    write: (records: readonly AuditRecord[]) =>
      new Promise<Settlement[]>((resolve) => {
        open.push({ ids: records.map((r) => r.event.id), answer: () => resolve(records.map(() => ({ status: 'delivered' }))) });
        mostAtOnce = Math.max(mostAtOnce, open.length);
        for (const wake of waiters) wake();
        waiters = [];
      }),
  };
  return {
    store,
    open,
    mostAtOnce: () => mostAtOnce,
    /** Resolves once `count` bulks are open, or after a few turns of the event loop (then the count is checked). */
    settle: async (count: number) => {
      for (let turn = 0; turn < 20 && open.length < count; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    },
    answerFirst: () => open.shift()!.answer(),
  };
}

function handlerWith(store: ReturnType<typeof heldStore>['store']) {
  const decision: Decision = Object.freeze({ ids: [], names: [], severity: 1, riskScore: 0, alert: false, revision: 'test' });
  return createBatchHandler({
    normalize: (raw) => ({ ok: true, record: { ...minimalRecord, event: { ...minimalRecord.event, id: `${raw.origin.partition}-${raw.origin.offset}` } } }),
    evaluator: { start: async () => undefined, stop: async () => undefined, evaluate: async (records) => records.map(() => decision) },
    applyDecision: (record) => record,
    store,
    deadLetters: { start: async () => undefined, stop: async () => undefined, write: async () => undefined },
    alertStore: { save: async () => [] },
    notifier: { enqueue: async () => undefined },
    retryPolicy: { initialDelayMs: 1, maxDelayMs: 1, maxElapsedMs: 100, multiplier: 1 },
    logger: createLogger('silent'),
  });
}

describe('batch handler', () => {
  it('writes the batches of one partition one bulk at a time, in the order they came, while computing the next', async () => {
    const held = heldStore();
    const handle = handlerWith(held.store);
    const first = handle([event('proxy', 0, 0), event('proxy', 0, 1)], Promise.resolve());
    const second = handle([event('proxy', 0, 2)], first);
    await held.settle(2);
    // The second batch is prepared, but its bulk waits for the first one's answer.
    expect(held.open.map((bulk) => bulk.ids)).toEqual([['0-0', '0-1']]);
    held.answerFirst();
    await held.settle(1);
    expect(held.open.map((bulk) => bulk.ids)).toEqual([['0-2']]);
    held.answerFirst();
    await Promise.all([first, second]);
    expect(held.mostAtOnce()).toBe(1);
  });

  it('lets batches of different partitions write at the same time', async () => {
    const held = heldStore();
    const handle = handlerWith(held.store);
    const zero = handle([event('proxy', 0, 0)], Promise.resolve());
    const one = handle([event('proxy', 1, 0)], Promise.resolve());
    await held.settle(2);
    expect(held.open.map((bulk) => bulk.ids).sort()).toEqual([['0-0'], ['1-0']]);
    held.answerFirst();
    held.answerFirst();
    await Promise.all([zero, one]);
    expect(held.mostAtOnce()).toBe(2);
  });

  it('writes the next batch of a partition even when the write before it failed for good', async () => {
    let calls = 0;
    const store = {
      name: 'failing-once',
      start: async () => undefined,
      stop: async () => undefined,
      write: async (records: readonly AuditRecord[]): Promise<Settlement[]> => {
        calls++;
        if (calls === 1) throw new Error('the cluster went away');
        return records.map(() => ({ status: 'delivered' }));
      },
    };
    const handle = handlerWith(store);
    const first = handle([event('proxy', 0, 0)], Promise.resolve());
    const second = handle([event('proxy', 0, 1)], Promise.resolve());
    await expect(first).rejects.toThrow('the cluster went away');
    await expect(second).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
