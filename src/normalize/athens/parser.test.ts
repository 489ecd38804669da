import { describe, expect, it } from 'vitest';
import { contextFor, runParserTestdata } from '../testdata-runner.js';
import { athensParser } from './parser.js';

runParserTestdata(athensParser, new URL('./testdata/cases.json', import.meta.url));

describe('athensParser', () => {
  it('says why a line is rejected', () => {
    const result = athensParser.parse('{"time":"2024-01-02T03:04:05Z","msg":"incoming request"}', contextFor(new Date()));
    expect(result).toEqual({ ok: false, rejection: { code: 'parse.malformed', reason: 'incoming request line without http-path' } });
  });

  it('gives the same event id to a replay of the same line from the same offset', () => {
    const raw = '{"time":"2024-01-02T03:04:05Z","msg":"incoming request","http-path":"/golang.org/x/text/@v/list"}';
    const first = athensParser.parse(raw, contextFor(new Date('2024-01-02T03:04:06Z')));
    const replay = athensParser.parse(raw, contextFor(new Date('2024-01-03T00:00:00Z')));
    expect(first.ok && replay.ok && first.record.event.id === replay.record.event.id).toBe(true);
  });
});
