import { describe, expect, it } from 'vitest';
import type { ParseContext } from '../core/component.js';
import { ecsVersion } from '../core/record.js';
import { eventId } from './event-id.js';
import { buildRecord, finishRecord, observerOf, startRecord, type EventFields } from './record-base.js';

const context: ParseContext = {
  receivedAt: new Date('2024-01-02T03:04:06Z'),
  ingestedAt: new Date('2024-01-02T03:04:07.5Z'),
  origin: { topic: 'modtrail.proxy', partition: 0, offset: '7' },
};

describe('buildRecord', () => {
  it('adds the skeleton: ECS version, id, ingestion time, original text and origin', () => {
    const record = buildRecord('raw line', context, new Date('2024-01-02T03:04:05Z'), {
      event: { kind: 'event', category: ['process'], type: ['info'], action: 'proxy.log', outcome: 'unknown', dataset: 'x.log' },
      observer: { product: 'x', type: 'proxy' },
      modtrail: { repository: 'go-remote' },
    });
    expect(record).toEqual({
      '@timestamp': '2024-01-02T03:04:05.000Z',
      ecs: { version: ecsVersion },
      event: {
        kind: 'event', category: ['process'], type: ['info'], action: 'proxy.log', outcome: 'unknown', dataset: 'x.log',
        id: eventId(context.origin, 'raw line'), ingested: '2024-01-02T03:04:07.500Z', original: 'raw line',
      },
      observer: { product: 'x', type: 'proxy' },
      modtrail: { repository: 'go-remote', origin: { topic: 'modtrail.proxy', partition: 0, offset: '7' } },
    });
  });
});

describe('startRecord and finishRecord', () => {
  it('build the record buildRecord builds, with the members in the same order', () => {
    const time = new Date('2024-01-02T03:04:05Z');
    const event = (): EventFields => ({
      kind: 'event', category: ['web'], type: ['access'], action: 'module.list', outcome: 'success', dataset: 'x.access',
    });
    const draft = startRecord(time, { product: 'x', type: 'proxy' });
    draft.url = { path: '/m/@v/list' };
    const record = finishRecord(draft, 'raw line', context, event(), { repository: 'go-remote' });
    const built = buildRecord('raw line', context, time, {
      event: event(),
      observer: { product: 'x', type: 'proxy' },
      url: { path: '/m/@v/list' },
      modtrail: { repository: 'go-remote' },
    });
    expect(JSON.stringify(record)).toBe(JSON.stringify(built));
  });

  it('gives a record without modtrail facts its origin all the same', () => {
    const record = finishRecord(startRecord(new Date(0), { product: 'x', type: 'proxy' }), 'raw', context, {
      kind: 'event', category: ['process'], type: ['info'], action: 'proxy.log', outcome: 'unknown', dataset: 'x.log',
    });
    expect(record.modtrail).toEqual({ origin: context.origin });
    expect(record.modtrail?.origin).not.toBe(context.origin);
  });
});

describe('observerOf', () => {
  it('names the observer only when the envelope did', () => {
    expect(observerOf({ product: 'athens', type: 'proxy' }, context)).toEqual({ product: 'athens', type: 'proxy' });
    expect(observerOf({ product: 'athens', type: 'proxy' }, { ...context, observerName: 'athens-eu-1' })).toEqual({
      product: 'athens', type: 'proxy', name: 'athens-eu-1',
    });
  });
});
