import { describe, expect, it } from 'vitest';
import { contextFor, readParserCases, runParserTestdata } from '../testdata-runner.js';
import { looksLikeApiEvent } from './detect.js';
import { modtrailApiParser } from './parser.js';

const testdata = new URL('./testdata/cases.json', import.meta.url);

runParserTestdata(modtrailApiParser, testdata);

describe('modtrailApiParser', () => {
  const cases = readParserCases(testdata);

  it.each(cases.filter((c) => typeof c.expected.rejection === 'string').map((c) => [c.name, c] as const))('%s: says why', (_name, c) => {
    const result = modtrailApiParser.parse(c.raw, contextFor(new Date(c.receivedAt)));
    expect(result).toEqual({ ok: false, rejection: { code: c.expected.rejection, reason: c.expected.reason } });
  });

  it('marks 401 and 403 as refusals, and every other status as a request', () => {
    const actions = cases.filter((c) => !('rejection' in c.expected)).map((c) => {
      const result = modtrailApiParser.parse(c.raw, contextFor(new Date(c.receivedAt)));
      return result.ok ? [result.record.http?.response?.status_code, result.record.event.action] : undefined;
    });
    expect(actions).toContainEqual([401, 'api.refused']);
    expect(actions).toContainEqual([403, 'api.refused']);
    expect(actions).toContainEqual([200, 'api.request']);
  });

  it('detects only modtrail.api/v1 objects', () => {
    expect(looksLikeApiEvent(cases[0]!.raw)).toBe(true);
    expect(looksLikeApiEvent('{"schema":"modtrail.agent/v1"}')).toBe(false);
    expect(looksLikeApiEvent('{"schema":"modtrail.api/v1"')).toBe(false);
  });
});
