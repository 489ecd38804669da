import { describe, expect, it } from 'vitest';
import { Grouper } from './grouper.js';

describe('Grouper (fake clock: times are passed in)', () => {
  it('sends the first occurrence, holds the rest of the window and summarizes them when it ends', () => {
    const grouper = new Grouper<string>(60_000);
    expect(grouper.offer('k', 'a1', 3, 1_000, 1_000)).toBe('first');
    expect(grouper.offer('k', 'a2', 3, 2_000, 20_000)).toBe('grouped');
    expect(grouper.offer('k', 'a3', 3, 3_000, 59_999)).toBe('grouped');
    expect(grouper.offer('other', 'b1', 3, 3_000, 30_000)).toBe('first');
    expect(grouper.due(60_999)).toEqual([]);
    expect(grouper.due(61_000)).toEqual([{ key: 'k', total: 3, held: ['a2', 'a3'], firstAt: 1_000, lastAt: 3_000, maxSeverity: 3 }]);
    expect(grouper.due(61_000)).toEqual([]);
    // b1's window ends with nothing held: nothing to summarize.
    expect(grouper.due(90_000)).toEqual([]);
    // After the window a new occurrence is a first one again.
    expect(grouper.offer('k', 'a4', 3, 62_000, 62_000)).toBe('first');
  });

  it('lets a rise in severity out at once (escalation) and only a rise', () => {
    const grouper = new Grouper<string>(60_000);
    expect(grouper.offer('k', 'a1', 3, 0, 0)).toBe('first');
    expect(grouper.offer('k', 'a2', 4, 0, 10)).toBe('escalation');
    expect(grouper.offer('k', 'a3', 4, 0, 20)).toBe('grouped');
    expect(grouper.offer('k', 'a4', 3, 0, 30)).toBe('grouped');
    expect(grouper.offer('k', 'a5', 5, 0, 40)).toBe('escalation');
    expect(grouper.due(60_000)).toEqual([{ key: 'k', total: 5, held: ['a3', 'a4'], firstAt: 0, lastAt: 0, maxSeverity: 5 }]);
  });

  it('summarizes a window that ended before the next occurrence started a new one', () => {
    const grouper = new Grouper<string>(1_000);
    grouper.offer('k', 'a1', 2, 0, 0);
    grouper.offer('k', 'a2', 2, 500, 500);
    expect(grouper.offer('k', 'a3', 2, 1_500, 1_500)).toBe('first');
    expect(grouper.heldCount).toBe(1);
    expect(grouper.due(1_600).map((group) => group.held)).toEqual([['a2']]);
  });

  it('with a zero window every occurrence goes out', () => {
    const grouper = new Grouper<string>(0);
    expect([grouper.offer('k', 'a', 1, 0, 0), grouper.offer('k', 'b', 1, 0, 0)]).toEqual(['first', 'first']);
    expect(grouper.due(10)).toEqual([]);
  });
});
