import { describe, expect, it } from 'vitest';
import { readParserCases } from '../testdata-runner.js';
import { looksLikeAgentEvent } from './detect.js';

const event = { schema: 'modtrail.agent/v1', kind: 'goenv.change' };

describe('looksLikeAgentEvent', () => {
  it.each([
    ['the v1 schema', JSON.stringify(event)],
    ['a later version, to be named unsupported by the parser', JSON.stringify({ ...event, schema: 'modtrail.agent/v2' })],
    ['an otherwise invalid v1 event', '{"schema":"modtrail.agent/v1"}'],
    ['leading white space', `  ${JSON.stringify(event)}`],
    ['a byte-order mark', `\uFEFF${JSON.stringify(event)}`],
  ])('recognises %s', (_name, line) => {
    expect(looksLikeAgentEvent(line)).toBe(true);
  });

  it.each([
    ['an empty line', ''],
    ['not JSON', 'schema=modtrail.agent/v1'],
    ['truncated JSON', JSON.stringify(event).slice(0, -1)],
    ['a JSON array', JSON.stringify([event])],
    ['a JSON string', JSON.stringify('modtrail.agent/v1')],
    ['null', 'null'],
    ['an object without schema', '{"kind":"goenv.change"}'],
    ['another schema', '{"schema":"ecs/8.17"}'],
    ['the prefix without a version', '{"schema":"modtrail.agent/"}'],
    ['a look-alike prefix', '{"schema":"modtrail.agents/v1"}'],
    ['a schema that is not a string', '{"schema":["modtrail.agent/v1"]}'],
    ['the schema only nested', '{"event":{"schema":"modtrail.agent/v1"}}'],
    ['an Athens JSON line', '{"http-method":"GET","http-path":"/golang.org/x/text/@v/list","level":"info","msg":"incoming request","time":"2024-01-02T03:04:05Z"}'],
  ])('refuses %s', (_name, line) => {
    expect(looksLikeAgentEvent(line)).toBe(false);
  });

  it('recognises every accepted testdata event', () => {
    const accepted = readParserCases(new URL('./testdata/cases.json', import.meta.url)).filter((c) => c.expected.rejection === undefined);
    expect(accepted.length).toBeGreaterThan(0);
    for (const c of accepted) expect(looksLikeAgentEvent(c.raw), c.name).toBe(true);
  });
});
