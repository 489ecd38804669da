import { describe, expect, it } from 'vitest';
import { Throttle } from './throttle.js';

describe('Throttle (fake clock: times are passed in)', () => {
  it('admits N per minute per sink and hands back what it held when the minute ends, never dropping any', () => {
    const throttle = new Throttle<number>((sink) => (sink === 'slack' ? 3 : 1));
    const admitted = Array.from({ length: 40 }, (_, i) => throttle.admit('slack', i, 1_000 + i));
    expect(admitted.filter(Boolean)).toHaveLength(3);
    expect(throttle.admit('webhook', 100, 1_000)).toBe(true);
    expect(throttle.admit('webhook', 101, 1_001)).toBe(false);
    expect(throttle.heldCount).toBe(38);
    expect(throttle.due(60_999)).toEqual([]);
    const [slack, webhook] = throttle.due(61_001);
    expect(slack).toEqual({ sink: 'slack', held: Array.from({ length: 37 }, (_, i) => i + 3), startedAt: 1_000, endedAt: 61_000 });
    expect(webhook).toEqual({ sink: 'webhook', held: [101], startedAt: 1_000, endedAt: 61_000 });
    expect(throttle.due(61_002)).toEqual([]);
    expect(throttle.heldCount).toBe(0);
  });

  it('opens a new minute on the first notification after the last one ended, keeping the old minute for due()', () => {
    const throttle = new Throttle<string>(() => 1, 10_000);
    expect(throttle.admit('s', 'a', 0)).toBe(true);
    expect(throttle.admit('s', 'b', 5_000)).toBe(false);
    expect(throttle.admit('s', 'c', 10_000)).toBe(true);
    expect(throttle.admit('s', 'd', 10_001)).toBe(false);
    expect(throttle.due(10_002)).toEqual([{ sink: 's', held: ['b'], startedAt: 0, endedAt: 10_000 }]);
    expect(throttle.due(20_000)).toEqual([{ sink: 's', held: ['d'], startedAt: 10_000, endedAt: 20_000 }]);
  });
});
