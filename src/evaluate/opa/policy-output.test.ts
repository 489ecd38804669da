import { describe, expect, it } from 'vitest';
import { toDecisions } from './policy-output.js';

const clean = { ids: [], names: [], severity: 1, risk_score: 0, alert: false };

describe('toDecisions', () => {
  it('converts the result set to decisions carrying the revision', () => {
    expect(toDecisions([{ result: [clean] }], 1, 'sha256-abc')).toEqual([
      { ids: [], names: [], severity: 1, riskScore: 0, alert: false, revision: 'sha256-abc' },
    ]);
  });

  it.each([
    ['an empty result set (entrypoint undefined)', [], /result set/],
    ['a result that is not an array', [{ result: { ids: [] } }], /0\.result/],
    ['a severity outside 1..5', [{ result: [{ ...clean, severity: 7 }] }], /0\.result\.0\.severity/],
    ['a missing alert flag', [{ result: [{ ids: [], names: [], severity: 1, risk_score: 0 }] }], /alert/],
    ['ids and names of different lengths', [{ result: [{ ...clean, ids: ['x'] }] }], /differ in length/],
  ])('refuses %s', (_, resultSet, message) => {
    expect(() => toDecisions(resultSet, 1, 'r')).toThrow(message);
    try {
      toDecisions(resultSet, 1, 'r');
    } catch (error) {
      expect(error).toMatchObject({ code: 'policy.evaluation_failed' });
    }
  });

  it('refuses a result with fewer decisions than records', () => {
    expect(() => toDecisions([{ result: [clean] }], 2, 'r')).toThrow(/1 decisions for 2 records/);
  });
});
