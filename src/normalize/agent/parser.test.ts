import { describe, expect, it } from 'vitest';
import { contextFor, readParserCases, runParserTestdata } from '../testdata-runner.js';
import { agentParser, settingsList } from './parser.js';

const testdata = new URL('./testdata/cases.json', import.meta.url);

runParserTestdata(agentParser, testdata);

describe('agentParser rejections', () => {
  const rejected = readParserCases(testdata).filter((c) => typeof c.expected.rejection === 'string');

  it('has a reason in the testdata for every rejection case', () => {
    expect(rejected.length).toBeGreaterThan(10);
    for (const c of rejected) expect(typeof (c.expected.reason ?? c.expected.reasonStartsWith), c.name).toBe('string');
  });

  it.each(rejected.map((c) => [c.name, c] as const))('%s: says why', (_name, c) => {
    const result = agentParser.parse(c.raw, contextFor(new Date(c.receivedAt)));
    expect(result.ok).toBe(false);
    const reason = result.ok ? '' : result.rejection.reason;
    if (typeof c.expected.reasonStartsWith === 'string') expect(reason.startsWith(c.expected.reasonStartsWith), reason).toBe(true);
    else expect(reason).toBe(c.expected.reason);
  });
});

describe('agentParser', () => {
  const change = {
    schema: 'modtrail.agent/v1', kind: 'goenv.change', time: '2024-06-01T09:30:15+02:00',
    host: { name: 'DEV-0042', os: 'windows' }, user: { name: 'alice' }, scope: 'user', mechanism: 'powershell',
    agent: { name: 'modtrail-agent', version: '1.0.0' }, name: 'GOSUMDB', value: 'off', previous_value: null,
  };

  it('gives the same event id to a replay of the same message from the same offset', () => {
    const raw = JSON.stringify(change);
    const first = agentParser.parse(raw, contextFor(new Date('2024-06-01T08:00:00Z')));
    const replay = agentParser.parse(raw, contextFor(new Date('2024-06-02T00:00:00Z')));
    expect(first.ok && replay.ok && first.record.event.id === replay.record.event.id).toBe(true);
  });

  it('takes @timestamp from the event time, not from when it was received', () => {
    const result = agentParser.parse(JSON.stringify(change), contextFor(new Date('2030-01-01T00:00:00Z')));
    expect(result.ok && result.record['@timestamp']).toBe('2024-06-01T07:30:15.000Z');
  });

  it('lists at most eight problems of a wrong document and counts the rest', () => {
    const wrong = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`extra${i}`, i]));
    const result = agentParser.parse(JSON.stringify({ ...change, ...wrong }), contextFor(new Date()));
    expect(result.ok ? '' : result.rejection.reason).toBe(
      'extra0: unknown key; extra1: unknown key; extra2: unknown key; extra3: unknown key; extra4: unknown key; extra5: unknown key; extra6: unknown key; extra7: unknown key; and 4 more',
    );
  });

  it('quotes an unknown key that could garble the reason', () => {
    const result = agentParser.parse(JSON.stringify({ ...change, 'a; b: c': 1 }), contextFor(new Date()));
    expect(result.ok ? '' : result.rejection.reason).toBe('["a; b: c"]: unknown key');
  });

  it('reports an empty kind-less object by what it lacks first', () => {
    const result = agentParser.parse('{"schema":"modtrail.agent/v1"}', contextFor(new Date()));
    expect(result).toEqual({ ok: false, rejection: { code: 'parse.malformed', reason: 'kind: is required' } });
  });
});

describe('settingsList', () => {
  it('writes NAME=value lines in go env order and leaves out unset settings', () => {
    expect(settingsList({ GOSUMDB: 'off', GOFLAGS: '-mod=mod', GOPROXY: undefined })).toBe('GOFLAGS=-mod=mod\nGOSUMDB=off');
  });

  it('quotes a value with a line break, so one setting stays one line', () => {
    expect(settingsList({ GOPROXY: 'direct\nGOSUMDB=off' })).toBe('GOPROXY="direct\\nGOSUMDB=off"');
  });
});
