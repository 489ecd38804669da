import { describe, expect, it } from 'vitest';
import { contextFor, runParserTestdata } from '../testdata-runner.js';
import { artifactoryRequestParser } from './parser.js';

runParserTestdata(artifactoryRequestParser, new URL('./testdata/cases.json', import.meta.url));

const goZip =
  '2024-03-04T10:15:30.123Z|4b1a9c2e3f5d6a7b|10.1.2.3|jdoe|GET|/api/go/go-remote/github.com/!azure/azure-sdk-for-go/@v/v68.0.0+incompatible.zip|200|-1|1048576|412|Go-http-client/1.1';
const parse = (raw: string) => artifactoryRequestParser.parse(raw, contextFor(new Date('2024-03-04T10:30:00Z')));

describe('artifactoryRequestParser', () => {
  it('says how many fields it found when there are too few', () => {
    const tenFields = goZip.split('|').slice(0, 10).join('|');
    expect(parse(tenFields)).toEqual({
      ok: false,
      rejection: { code: 'parse.malformed', reason: 'expected 11 pipe-separated fields, found 10' },
    });
  });

  it('says how many fields it found when an extra field shifts the others', () => {
    const fields = goZip.split('|');
    const twelveFields = [...fields.slice(0, 4), 'go-remote', ...fields.slice(4)].join('|');
    const result = parse(twelveFields);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.rejection.reason).toMatch(/^expected 11 pipe-separated fields, found 12 \(/);
  });

  it('says which field is wrong', () => {
    const result = parse(goZip.replace('|412|', '|4.2|'));
    expect(result).toEqual({ ok: false, rejection: { code: 'parse.malformed', reason: 'request duration "4.2" is not a whole number or -1' } });
  });

  it('cuts a long field short in the reason', () => {
    const result = parse(goZip.replace('2024-03-04T10:15:30.123Z', 'x'.repeat(500)));
    expect(result.ok ? 0 : result.rejection.reason.length).toBeLessThan(120);
  });

  it('reads a Windows line ending as the end of the line, not part of the user agent', () => {
    const result = parse(`${goZip}\r`);
    expect(result.ok && result.record.user_agent).toEqual({ original: 'Go-http-client/1.1' });
  });

  it('keeps a duration as whole nanoseconds', () => {
    const result = parse(goZip);
    expect(result.ok && result.record.event.duration).toBe(412_000_000);
  });

  it('rejects a duration too long to count in nanoseconds exactly', () => {
    expect(parse(goZip.replace('|412|', '|99999999999|'))).toMatchObject({ ok: false, rejection: { code: 'parse.malformed' } });
  });

  it('gives the same event id to a replay of the same line from the same offset', () => {
    const first = artifactoryRequestParser.parse(goZip, contextFor(new Date('2024-03-04T10:30:00Z')));
    const replay = artifactoryRequestParser.parse(goZip, contextFor(new Date('2024-03-05T00:00:00Z')));
    expect(first.ok && replay.ok && first.record.event.id === replay.record.event.id).toBe(true);
  });

  it('names the observer from the envelope', () => {
    const result = artifactoryRequestParser.parse(goZip, contextFor(new Date(), 'artifactory-eu-1'));
    expect(result.ok && result.record.observer).toEqual({ vendor: 'JFrog', product: 'Artifactory', type: 'proxy', name: 'artifactory-eu-1' });
  });
});
