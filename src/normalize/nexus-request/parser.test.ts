import { describe, expect, it } from 'vitest';
import { contextFor, runParserTestdata } from '../testdata-runner.js';
import { nexusRequestParser } from './parser.js';

runParserTestdata(nexusRequestParser, new URL('./testdata/cases.json', import.meta.url));

const line = (tail: string): string =>
  `10.1.2.3 - jdoe [04/Mar/2024:10:15:30 +0000] "GET /repository/go-proxy/golang.org/x/text/@v/list HTTP/1.1" ${tail}`;
const parse = (raw: string) => nexusRequestParser.parse(raw, contextFor(new Date('2024-03-04T10:15:31Z')));

describe('nexusRequestParser', () => {
  it('says why a line is rejected', () => {
    expect(parse(line('200 - 61 4 "Go-http-client/1.1" [qtp1-2] extra'))).toEqual({
      ok: false,
      rejection: { code: 'parse.malformed', reason: 'text after the quoted user agent is not a [thread]' },
    });
    expect(parse(line('200 - 61 x "Go-http-client/1.1"'))).toMatchObject({
      ok: false,
      rejection: { code: 'parse.malformed', reason: 'expected [content length] bytes sent and elapsed ms before the user agent, found "- 61 x"' },
    });
  });

  it('reads the content length only from the pattern that has it', () => {
    const today = parse(line('201 512 0 3 "curl/8.5.0"'));
    const older = parse(line('201 0 3 "curl/8.5.0"'));
    expect(today.ok && today.record.http?.request?.bytes).toBe(512);
    expect(older.ok && older.record.http?.request).toEqual({ method: 'GET' });
    expect(older.ok && older.record.event.duration).toBe(3_000_000);
  });

  it('refuses a line that carries a line break', () => {
    expect(parse(`${line('200 - 61 4 "Go-http-client/1.1"')}\n${line('200 - 61 4 "Go-http-client/1.1"')}`)).toMatchObject({
      ok: false,
      rejection: { code: 'parse.malformed' },
    });
  });

  it('keeps a zone-scoped IPv6 client as an address, not an ip', () => {
    const result = parse(line('200 - 61 4 "Go-http-client/1.1"').replace('10.1.2.3', 'fe80::1%eth0'));
    expect(result.ok && result.record.source).toEqual({ address: 'fe80::1%eth0' });
  });

  it('records a GET from a repository as a read even when the path is not a module', () => {
    const result = parse(line('200 - 61 4 "Go-http-client/1.1"').replace('golang.org/x/text/@v/list', 'index.html'));
    expect(result.ok && result.record.event.action).toBe('proxy.other');
  });
});
