import { describe, expect, it } from 'vitest';
import { dailyIndex } from './index-names.js';

describe('dailyIndex', () => {
  it("names the record's UTC day, the same day after it was seen before", () => {
    expect(dailyIndex('mt', 'audit', '2026-11-24T23:59:59.999Z')).toBe('mt-audit-2026.11.24');
    expect(dailyIndex('mt', 'alerts', '2026-11-24T00:00:00Z')).toBe('mt-alerts-2026.11.24');
    expect(dailyIndex('mt', 'audit', '2026-11-25T00:00:00.000000001Z')).toBe('mt-audit-2026.11.25');
  });

  it('takes the UTC day of a time with an offset, not the local one', () => {
    expect(dailyIndex('mt', 'audit', '2026-11-24T23:30:00-02:00')).toBe('mt-audit-2026.11.25');
    expect(dailyIndex('mt', 'audit', '2026-11-25T01:30:00+02:00')).toBe('mt-audit-2026.11.24');
  });

  it('gives a day that does not exist the day Date rolls it to, and refuses a time that is none', () => {
    expect(dailyIndex('mt', 'audit', '2026-02-28T10:00:00Z')).toBe('mt-audit-2026.02.28');
    expect(dailyIndex('mt', 'audit', '2026-02-30T10:00:00Z')).toBe('mt-audit-2026.03.02');
    expect(dailyIndex('mt', 'audit', '2026-02-30T11:00:00Z')).toBe('mt-audit-2026.03.02');
    expect(dailyIndex('mt', 'audit', '2026-02-28T24:00:00Z')).toBe('mt-audit-2026.03.01');
    expect(() => dailyIndex('mt', 'audit', 'yesterday')).toThrow(RangeError);
  });
});
