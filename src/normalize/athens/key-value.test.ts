import { describe, expect, it } from 'vitest';
import { parseKeyValues, unquoteGo } from './key-value.js';

describe('parseKeyValues', () => {
  it('reads bare values, as the logrus dev formatter writes them (with a trailing space)', () => {
    expect(parseKeyValues('http-method=GET http-path=/golang.org/x/text/@v/list http-status=200 request-id=abc ')).toEqual(
      new Map([['http-method', 'GET'], ['http-path', '/golang.org/x/text/@v/list'], ['http-status', '200'], ['request-id', 'abc']]),
    );
  });

  it('keeps spaces inside a bare value, up to the next key', () => {
    expect(parseKeyValues('error=could not find module: golang.org/x/nope kind=Not Found ')).toEqual(
      new Map([['error', 'could not find module: golang.org/x/nope'], ['kind', 'Not Found']]),
    );
  });

  it('reads Go-quoted values', () => {
    expect(parseKeyValues('time="2024-01-02T03:04:05Z" level=info msg="incoming request \\"x\\"\\tok" n=1')).toEqual(
      new Map([['time', '2024-01-02T03:04:05Z'], ['level', 'info'], ['msg', 'incoming request "x"\tok'], ['n', '1']]),
    );
  });

  it('reads an empty value and lets the last of two equal keys win', () => {
    expect(parseKeyValues('a= b=1 b=2')).toEqual(new Map([['a', ''], ['b', '2']]));
  });

  it('treats a quote that does not close as part of a bare value', () => {
    expect(parseKeyValues('msg="unterminated x=1')).toEqual(new Map([['msg', '"unterminated'], ['x', '1']]));
  });

  it('is empty for blank text and undefined for text that does not start with a key', () => {
    expect(parseKeyValues('   ')).toEqual(new Map());
    expect(parseKeyValues('just words')).toBeUndefined();
  });
});

describe('unquoteGo', () => {
  it.each([
    ['"plain"', 'plain'],
    ['"a\\nb\\\\c"', 'a\nb\\c'],
    ['"\\x41\\u00e9\\U0001F600"', 'Aé😀'],
    ['"\\xff"', '\ufffd'],
  ])('%s', (quoted, value) => {
    expect(unquoteGo(quoted, 0)).toEqual({ value, end: quoted.length });
  });

  it.each(['"open', '"bad \\q escape"', '"\\x4"', '"\\u12G4"'])('refuses %s', (quoted) => {
    expect(unquoteGo(quoted, 0)).toBeUndefined();
  });
});
