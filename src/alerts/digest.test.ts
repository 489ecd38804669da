import { describe, expect, it } from 'vitest';
import { digestHeadline } from '../delivery/notification.js';
import { athensAlert } from '../../test/support/sample-alert.js';
import { digestOf } from './digest.js';

const at = (second: number, rule = 'module.not_allowlisted', severity = 3) =>
  athensAlert({}, { id: `a${second}`, '@timestamp': `2026-11-24T08:00:${String(second).padStart(2, '0')}.000Z`, severity, rule: { id: [rule], name: [rule === 'goenv.insecure' ? 'Insecure fetching' : 'Module outside the allowlist'], version: 'r' } });

describe('digestOf', () => {
  it('counts the held alerts by rule, most frequent first, with their span, highest severity and the latest alert', () => {
    const digest = digestOf('throttled', [at(5), at(1, 'goenv.insecure', 4), at(9), at(3)]);
    expect(digest).toMatchObject({
      reason: 'throttled',
      count: 4,
      firstAt: '2026-11-24T08:00:01.000Z',
      lastAt: '2026-11-24T08:00:09.000Z',
      maxSeverity: 4,
      rules: [
        { id: 'module.not_allowlisted', name: 'Module outside the allowlist', count: 3 },
        { id: 'goenv.insecure', name: 'Insecure fetching', count: 1 },
      ],
    });
    expect(digest.latest.id).toBe('a9');
    expect(digestHeadline(digest)).toBe('held back 4 alerts: module.not_allowlisted ×3, goenv.insecure ×1');
  });

  it('takes the window’s own span, total and severity for grouped repeats', () => {
    const digest = digestOf('grouped', [at(2), at(3)], { total: 4, fingerprint: 'fp', firstAt: Date.parse('2026-11-24T07:59:00Z'), maxSeverity: 5 });
    expect(digest).toMatchObject({ count: 2, total: 4, fingerprint: 'fp', firstAt: '2026-11-24T07:59:00.000Z', lastAt: '2026-11-24T08:00:03.000Z', maxSeverity: 5 });
    expect(digestHeadline(digest)).toBe('2 more alerts like this one (4 in the window): module.not_allowlisted ×2');
    expect(() => digestOf('grouped', [])).toThrow();
  });
});
