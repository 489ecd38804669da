import { describe, expect, it } from 'vitest';
import type { ParseContext, Parser, RawEvent, SourceFormat } from '../core/component.js';
import { ModtrailError } from '../core/errors.js';
import { athensParser } from './athens/parser.js';
import { createNormalizer } from './normalizer.js';
import { expectValidResult } from './testdata-runner.js';

const receivedAt = new Date('2024-01-02T07:39:41Z');
const ingestedAt = new Date('2024-01-02T07:39:42Z');
const athensDevLine = 'INFO[7:39AM]: incoming request\thttp-method=GET http-path=/golang.org/x/text/@v/list http-status=200 request-id=r1 ';
const athensJsonLine =
  '{"time":"2024-01-02T07:39:41Z","level":"INFO","msg":"incoming request","http-method":"GET","http-path":"/golang.org/x/text/@v/list","request-id":"r1","http-status":200}';

function rawEvent(value: string | Buffer, headers: Record<string, string> = {}, topic = 'modtrail.unnamed'): RawEvent {
  return {
    value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value,
    headers,
    origin: { topic, partition: 2, offset: '99' },
    receivedAt,
  };
}

/** A parser that records what it was given and accepts nothing, so the test sees which format was chosen. */
function spyParser(format: SourceFormat): Parser & { calls: Array<{ raw: string; context: ParseContext }> } {
  const calls: Array<{ raw: string; context: ParseContext }> = [];
  return {
    format,
    calls,
    parse(raw, context) {
      calls.push({ raw, context });
      return { ok: false, rejection: { code: 'parse.malformed', reason: `seen by ${format}` } };
    },
  };
}

function setup(topicFormats: Record<string, SourceFormat> = { 'modtrail.proxy': 'athens', 'modtrail.agent': 'agent' }) {
  const athens = spyParser('athens');
  const agent = spyParser('agent');
  return { athens, agent, normalize: createNormalizer([athens, agent], topicFormats) };
}

const reasonOf = (result: ReturnType<ReturnType<typeof createNormalizer>>): string | undefined =>
  result.ok ? undefined : result.rejection.reason;

describe('createNormalizer: choosing the format', () => {
  it('takes the modtrail-format header first, over the topic default and detection', () => {
    const { normalize, agent, athens } = setup();
    expect(reasonOf(normalize(rawEvent(athensDevLine, { 'modtrail-format': 'agent' }, 'modtrail.proxy'), ingestedAt))).toBe('seen by agent');
    expect(agent.calls).toHaveLength(1);
    expect(athens.calls).toHaveLength(0);
  });

  it('matches the header name in any case', () => {
    const { normalize } = setup();
    expect(reasonOf(normalize(rawEvent('x', { 'Modtrail-Format': 'agent' }), ingestedAt))).toBe('seen by agent');
  });

  it('rejects a header that names no known format, rather than falling back', () => {
    const { normalize, athens } = setup();
    const result = normalize(rawEvent(athensDevLine, { 'modtrail-format': 'apache' }, 'modtrail.proxy'), ingestedAt);
    expect(result).toMatchObject({ ok: false, rejection: { code: 'parse.unknown_format' } });
    expect(reasonOf(result)).toContain('"apache"');
    expect(athens.calls).toHaveLength(0);
  });

  it('rejects a known format that has no parser', () => {
    const { normalize } = setup();
    expect(normalize(rawEvent('x', { 'modtrail-format': 'sysmon' }), ingestedAt)).toEqual({
      ok: false,
      rejection: { code: 'parse.unknown_format', reason: 'no parser for format "sysmon"' },
    });
  });

  it('uses the topic default when no header names the format', () => {
    const { normalize } = setup();
    expect(reasonOf(normalize(rawEvent('anything', {}, 'modtrail.agent'), ingestedAt))).toBe('seen by agent');
    expect(reasonOf(normalize(rawEvent('anything', { 'modtrail-format': '  ' }, 'modtrail.agent'), ingestedAt))).toBe('seen by agent');
  });

  it('ignores topic names inherited from Object.prototype', () => {
    const { normalize } = setup({});
    expect(normalize(rawEvent('anything', {}, 'constructor'), ingestedAt)).toMatchObject({ rejection: { code: 'parse.unknown_format' } });
  });

  it.each([
    ['Athens dev line', athensDevLine],
    ['Athens dev line with colours', '\u001b[36mINFO\u001b[0m[7:38AM]: Starting application at 127.0.0.1:3000\t'],
    ['Athens JSON request line', athensJsonLine],
    ['Athens key=value request line', 'time=7:39AM level=INFO msg="incoming request" http-path=/golang.org/x/text/@v/list request-id=r1'],
  ])('detects an %s on a topic with no default', (_name, line) => {
    const { normalize, athens } = setup();
    expect(reasonOf(normalize(rawEvent(line), ingestedAt))).toBe('seen by athens');
    expect(athens.calls).toHaveLength(1);
  });

  it.each([
    ['plain text', 'GET /golang.org/x/text/@v/list 200'],
    ['generic JSON log line', '{"time":"2024-01-02T07:39:41Z","level":"INFO","msg":"started"}'],
    ['generic key=value line', 'time=7:39AM level=INFO msg=started'],
    ['empty line', ''],
  ])('does not guess a format for %s', (_name, line) => {
    const { normalize, athens, agent } = setup();
    expect(normalize(rawEvent(line), ingestedAt)).toEqual({
      ok: false,
      rejection: { code: 'parse.unknown_format', reason: 'format not named and not detectable' },
    });
    expect(athens.calls.length + agent.calls.length).toBe(0);
  });

  it('refuses two parsers for one format', () => {
    expect(() => createNormalizer([spyParser('athens'), spyParser('athens')], {})).toThrow(ModtrailError);
  });
});

describe('createNormalizer: text and context', () => {
  it.each([
    ['a stray continuation byte', Buffer.from([0x41, 0x80, 0x42])],
    ['a truncated sequence', Buffer.from([0x41, 0xe2, 0x82])],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
    ['Latin-1 text', Buffer.from('caf\u00e9', 'latin1')],
  ])('rejects %s as parse.encoding', (_name, bytes) => {
    const { normalize, athens } = setup();
    expect(normalize(rawEvent(bytes, {}, 'modtrail.proxy'), ingestedAt)).toEqual({
      ok: false,
      rejection: { code: 'parse.encoding', reason: 'event is not valid UTF-8' },
    });
    expect(athens.calls).toHaveLength(0);
  });

  it.each([
    ['line\n', 'line'],
    ['line\r\n', 'line'],
    ['line\n\n', 'line\n'],
    ['line\r', 'line\r'],
    ['line', 'line'],
    ['caf\u00e9 \u20ac', 'caf\u00e9 \u20ac'],
  ])('passes %j on as %j', (value, raw) => {
    const { normalize, athens } = setup();
    normalize(rawEvent(value, {}, 'modtrail.proxy'), ingestedAt);
    expect(athens.calls[0]?.raw).toBe(raw);
  });

  it('hands the parser the receive time, ingestion time, origin and observer name', () => {
    const { normalize, athens } = setup();
    normalize(rawEvent('x', { 'modtrail-observer': 'athens-eu-1' }, 'modtrail.proxy'), ingestedAt);
    expect(athens.calls[0]?.context).toEqual({
      receivedAt,
      ingestedAt,
      origin: { topic: 'modtrail.proxy', partition: 2, offset: '99' },
      observerName: 'athens-eu-1',
    });
    normalize(rawEvent('x', {}, 'modtrail.proxy'), ingestedAt);
    expect(athens.calls[1]?.context).not.toHaveProperty('observerName');
  });
});

describe('createNormalizer with the Athens parser', () => {
  it('turns a detected Athens line into a valid record, named by the observer header', () => {
    const normalize = createNormalizer([athensParser], {});
    const event = rawEvent(`${athensJsonLine}\n`, { 'modtrail-observer': 'athens-eu-1' });
    const result = normalize(event, ingestedAt);
    expectValidResult(result, athensJsonLine, { receivedAt, ingestedAt, origin: event.origin, observerName: 'athens-eu-1' });
    expect(result).toMatchObject({
      ok: true,
      record: {
        event: { action: 'module.list', outcome: 'success', original: athensJsonLine },
        observer: { product: 'athens', name: 'athens-eu-1' },
        package: { name: 'golang.org/x/text', type: 'golang' },
      },
    });
  });
});
