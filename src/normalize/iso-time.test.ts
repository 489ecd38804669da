import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-time.js';

describe('isoTimestamp', () => {
  it.each([
    '1970-01-01T00:00:00.000Z',
    '2024-02-29T23:59:59.999Z',
    '2100-03-01T00:00:00.001Z',
    '2000-02-29T12:34:56.789Z',
    '1969-12-31T23:59:59.999Z',
    '0000-01-01T00:00:00.000Z',
    '0000-02-29T00:00:00.000Z',
    '0999-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999Z',
  ])('writes %s as toISOString does', (text) => {
    const date = new Date(text);
    expect(isoTimestamp(date)).toBe(date.toISOString());
    expect(isoTimestamp(date)).toBe(text);
  });

  it('falls back to toISOString outside years 0000..9999, and throws as it does for an invalid date', () => {
    for (const ms of [-62_167_219_200_001, 253_402_300_800_000, 8.64e15, -8.64e15]) {
      expect(isoTimestamp(new Date(ms))).toBe(new Date(ms).toISOString());
    }
    expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('agrees with toISOString on many instants, in and out of order', () => {
    let ms = -62_167_219_200_000;
    const step = 98_765_432_111; // about 3 years and 48 days, so days fall in every month, leap years too
    for (; ms <= 253_402_300_799_999; ms += step) {
      for (const instant of [ms, ms + 1, ms - 86_399_999, 1_764_000_000_000 + (ms % 86_400_000)]) {
        const date = new Date(instant);
        if (Number.isNaN(date.getTime())) continue;
        expect(isoTimestamp(date)).toBe(date.toISOString());
      }
    }
  });
});
