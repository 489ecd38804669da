import { describe, expect, it } from 'vitest';
import type { Decision } from '../../core/record.js';
import { DecisionCache } from './decision-cache.js';

const decision = (n: number): Decision => ({ ids: [`rule.${n}`], names: [`Rule ${n}`], severity: 1 + (n % 5), riskScore: n, alert: n % 2 === 0, revision: 'r1' });

describe('DecisionCache', () => {
  it('returns what was stored under the same view, and nothing for another view', () => {
    const cache = new DecisionCache(10);
    cache.set('{"a":1}', decision(1));
    expect(cache.get('{"a":1}')).toEqual(decision(1));
    expect(cache.get('{"a":2}')).toBeUndefined();
  });

  it('never holds more than two generations', () => {
    const cache = new DecisionCache(4);
    for (let n = 0; n < 100; n++) cache.set(`v${n}`, decision(n));
    expect(cache.size).toBeLessThanOrEqual(8);
    expect(cache.get('v99')).toEqual(decision(99));
    expect(cache.get('v0')).toBeUndefined();
  });

  it('keeps a view that is still in use when the generations turn over', () => {
    const cache = new DecisionCache(3);
    cache.set('hot', decision(0));
    for (let n = 1; n < 30; n++) {
      cache.set(`cold${n}`, decision(n));
      expect(cache.get('hot')).toEqual(decision(0));
    }
  });

  it('drops a view nobody asked for within two generations', () => {
    const cache = new DecisionCache(3);
    cache.set('once', decision(0));
    for (let n = 1; n <= 6; n++) cache.set(`other${n}`, decision(n));
    expect(cache.get('once')).toBeUndefined();
  });

  it('caches nothing with a size of zero', () => {
    const cache = new DecisionCache(0);
    cache.set('v', decision(1));
    expect(cache.get('v')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
