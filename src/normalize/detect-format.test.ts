import { describe, expect, it } from 'vitest';
import { sourceFormats } from '../core/component.js';
import { readParserCases } from './testdata-runner.js';
import { detectFormat } from './detect-format.js';

describe('detectFormat', () => {
  it.each(sourceFormats.map((format) => [format]))('claims every accepted %s testdata line for its own format, and no other', (format) => {
    const cases = readParserCases(new URL(`./${format}/testdata/cases.json`, import.meta.url));
    const accepted = cases.filter((c) => !('rejection' in c.expected));
    expect(accepted.length).toBeGreaterThan(0);
    const detected = accepted.map((c) => detectFormat(c.raw));
    // Detection may decline a line it is unsure of, but it must never name another format.
    expect(detected.filter((d) => d !== undefined && d !== format)).toEqual([]);
    expect(detected.filter((d) => d === format).length).toBeGreaterThan(accepted.length / 2);
  });

  it('declines what no format recognises', () => {
    for (const line of ['', 'hello world', '{}', '[1,2,3]', '{"msg":"starting server","level":"info"}', '2024-01-01 something happened']) {
      expect(detectFormat(line)).toBeUndefined();
    }
  });
});
