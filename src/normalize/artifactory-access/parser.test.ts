import { describe, expect, it } from 'vitest';
import { contextFor, runParserTestdata } from '../testdata-runner.js';
import { artifactoryAccessParser } from './parser.js';

runParserTestdata(artifactoryAccessParser, new URL('./testdata/cases.json', import.meta.url));

const parse = (raw: string) => artifactoryAccessParser.parse(raw, contextFor(new Date('2024-03-04T10:30:00Z')));

describe('artifactoryAccessParser', () => {
  it('reads a 6.x time without a zone as UTC', () => {
    const result = parse('2019-05-06 10:15:30,123 [ACCEPTED DOWNLOAD] go-remote:golang.org/x/text/@v/list for jdoe/10.1.2.3.');
    expect(result.ok && result.record['@timestamp']).toBe('2019-05-06T10:15:30.123Z');
  });

  it('keeps a user logged without an address', () => {
    const result = parse('2019-05-06 10:15:30,123 [ACCEPTED LOGIN]  for jdoe.');
    expect(result.ok && { user: result.record.user, source: result.record.source }).toEqual({ user: { name: 'jdoe' }, source: undefined });
  });

  it('keeps a system message that names no repository as the message', () => {
    const result = parse('2024-03-04T10:15:30.123Z [4b1a9c2e3f5d6a7b] [ACCEPTED CREATE] Token: created for client : admin / 10.1.2.3.');
    expect(result.ok && { message: result.record.message, modtrail: result.record.modtrail?.repository }).toEqual({
      message: 'Token: created',
      modtrail: undefined,
    });
  });

  it('says why a line is rejected', () => {
    expect(parse('2024-03-04T10:15:30.123Z [4b1a9c2e3f5d6a7b] [DENIED DEPLOY] go-local:example.com/lib/@v/v1.0.0.zip')).toEqual({
      ok: false,
      rejection: { code: 'parse.malformed', reason: 'no "for <user>/<address>" after [DENIED DEPLOY]' },
    });
    expect(parse('2024-02-30T10:15:30.123Z [DENIED LOGIN] for jdoe/10.1.2.3.')).toEqual({
      ok: false,
      rejection: {
        code: 'parse.bad_timestamp',
        reason: 'time "2024-02-30T10:15:30.123Z" is neither ISO 8601 with a zone nor yyyy-MM-dd HH:mm:ss,SSS',
      },
    });
  });

  it('reads a Windows line ending as the end of the line', () => {
    const result = parse('2024-03-04T10:15:30.123Z [4b1a9c2e3f5d6a7b] [ACCEPTED LOGIN]  for client : jdoe / 10.1.2.3\r');
    expect(result.ok && result.record.source).toEqual({ ip: '10.1.2.3' });
  });

  it('gives the same event id to a replay of the same line from the same offset', () => {
    const raw = '2024-03-04T10:15:30.123Z [4b1a9c2e3f5d6a7b] [DENIED DOWNLOAD] go-remote:golang.org/x/text/@v/list for client : jdoe / 10.1.2.3.';
    const first = artifactoryAccessParser.parse(raw, contextFor(new Date('2024-03-04T10:30:00Z')));
    const replay = artifactoryAccessParser.parse(raw, contextFor(new Date('2024-03-05T00:00:00Z')));
    expect(first.ok && replay.ok && first.record.event.id === replay.record.event.id).toBe(true);
  });
});
