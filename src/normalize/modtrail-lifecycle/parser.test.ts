import { describe, expect, it } from 'vitest';
import { ingestFormats } from '../../api/ingest/ingest-lines.js';
import { sourceFormats } from '../../core/component.js';
import { createNormalizer } from '../normalizer.js';
import { contextFor, readParserCases, runParserTestdata } from '../testdata-runner.js';
import { looksLikeLifecycleEvent } from './detect.js';
import { modtrailLifecycleParser } from './parser.js';

const testdata = new URL('./testdata/cases.json', import.meta.url);

runParserTestdata(modtrailLifecycleParser, testdata);

describe('modtrailLifecycleParser', () => {
  const cases = readParserCases(testdata);

  it.each(cases.filter((c) => typeof c.expected.reason === 'string').map((c) => [c.name, c] as const))('%s: says why', (_name, c) => {
    const result = modtrailLifecycleParser.parse(c.raw, contextFor(new Date(c.receivedAt)));
    expect(result).toEqual({ ok: false, rejection: { code: c.expected.rejection, reason: c.expected.reason } });
  });

  it('is chosen by the header, or detected from its schema; detection takes only modtrail.lifecycle/v1 objects', () => {
    const normalize = createNormalizer([modtrailLifecycleParser], {});
    const event = { value: Buffer.from(cases[0]!.raw), origin: { topic: 't', partition: 0, offset: '5' }, receivedAt: new Date() };
    const expected = { ok: true, record: { event: { dataset: 'modtrail.retention', action: 'index.delete' } } };
    expect(normalize({ ...event, headers: { 'modtrail-format': 'modtrail-lifecycle' } }, new Date())).toMatchObject(expected);
    expect(normalize({ ...event, headers: {} }, new Date())).toMatchObject(expected);
    expect(looksLikeLifecycleEvent(cases[0]!.raw)).toBe(true);
    expect(looksLikeLifecycleEvent('{"schema":"modtrail.api/v1"}')).toBe(false);
    expect(looksLikeLifecycleEvent('{"schema":"modtrail.lifecycle/v1"')).toBe(false);
    expect(looksLikeLifecycleEvent('{"schema":"modtrail.lifecycle/v2"}')).toBe(false);
  });

  it('is a source format the HTTP ingest refuses to take from a client', () => {
    expect(sourceFormats).toContain('modtrail-lifecycle');
    expect(ingestFormats).not.toContain('modtrail-lifecycle');
    expect(ingestFormats).not.toContain('modtrail-api');
    expect(ingestFormats).toContain('agent');
  });
});
