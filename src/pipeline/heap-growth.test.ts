import { describe, expect, it } from 'vitest';
import { heapGrowthFlag } from './heap-growth.js';

describe('heapGrowthFlag', () => {
  it('doubles the live old generation before the next full GC by default', () => {
    expect(heapGrowthFlag(['--max-old-space-size=128'])).toBe('--heap-growing-percent=100');
  });

  it("leaves the growth to the node command line when it sets one, in either spelling", () => {
    expect(heapGrowthFlag(['--heap-growing-percent=50'])).toBeUndefined();
    expect(heapGrowthFlag(['--max-old-space-size=128', '--heap_growing_percent=20'])).toBeUndefined();
    expect(heapGrowthFlag(['--heap-growing-percentage-of-nothing'])).toBe('--heap-growing-percent=100');
  });
});
