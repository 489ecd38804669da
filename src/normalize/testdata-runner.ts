// The one runner for every parser's testdata (raw line → expected record or rejection), plus fuzz input:
// whatever comes in, a parser returns a valid record or a catalogued rejection and never throws.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventOrigin, ParseContext, ParseResult, Parser } from '../core/component.js';
import { errorCatalogue } from '../core/errors.js';
import { ecsVersion, type AuditRecord } from '../core/record.js';
import { auditRecordProblems } from '../core/record-schema.js';
import { eventId } from './event-id.js';
import { parseRfc3339 } from './rfc3339.js';
import { randomInt, randomItem, seededRandom, type Random } from '../../test/support/seeded-random.js';

/** The values the runner fills in, so testdata need not repeat them. */
export const testdataIngestedAt = new Date('2024-06-01T00:00:00.000Z');
export const testdataOrigin: EventOrigin = { topic: 'modtrail.testdata', partition: 0, offset: '0' };

/** One testdata case; the expected record leaves out event.ingested and modtrail.origin. */
export interface ParserCase {
  name: string;
  raw: string;
  receivedAt: string;
  observerName?: string;
  expected: Record<string, unknown>;
}

const fuzzSeed = 0x6d6f64; // "mod"

/** Reads a parser's testdata: a JSON array (.json) or one case a line (.jsonl). */
export function readParserCases(path: string | URL): ParserCase[] {
  const text = readFileSync(path, 'utf8');
  const items: unknown[] = String(path).endsWith('.jsonl')
    ? text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown)
    : (JSON.parse(text) as unknown[]);
  return items.map((item, index) => {
    const c = item as Partial<ParserCase>;
    if (typeof c.name !== 'string' || typeof c.raw !== 'string' || typeof c.receivedAt !== 'string' || typeof c.expected !== 'object') {
      throw new Error(`testdata case ${index} in ${String(path)} needs name, raw, receivedAt and expected`);
    }
    return c as ParserCase;
  });
}

export function contextFor(receivedAt: Date, observerName?: string): ParseContext {
  return { receivedAt, ingestedAt: testdataIngestedAt, origin: testdataOrigin, ...(observerName === undefined ? {} : { observerName }) };
}

/** Defines the testdata and fuzz tests for one parser. */
export function runParserTestdata(parser: Parser, testdataPath: string | URL): void {
  const cases = readParserCases(testdataPath);

  describe(`${parser.format} testdata`, () => {
    it('has cases with distinct names', () => {
      expect(cases.length).toBeGreaterThan(0);
      expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    });

    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const context = contextFor(new Date(c.receivedAt), c.observerName);
      const result = parser.parse(c.raw, context);
      const { rejection } = c.expected;
      if (typeof rejection === 'string') {
        expect(result).toMatchObject({ ok: false, rejection: { code: rejection } });
        expectValidResult(result, c.raw, context);
        return;
      }
      expect(result.ok ? result.record : result.rejection).toEqual(withFixedValues(c.expected));
      expectValidResult(result, c.raw, context);
    });
  });

  describe(`${parser.format} fuzz (seed ${fuzzSeed})`, () => {
    const context = contextFor(new Date('2024-01-02T03:04:05Z'));
    const parse = (raw: string): void => expectValidResult(parser.parse(raw, context), raw, context);

    it('survives random bytes and random text', () => {
      const random = seededRandom(fuzzSeed);
      for (let i = 0; i < 1000; i++) {
        const bytes = Buffer.from(Array.from({ length: randomInt(random, 0, 160) }, () => randomInt(random, 0, 255)));
        parse(bytes.toString('utf8'));
        parse(bytes.toString('latin1'));
        parse(randomText(random));
      }
    });

    it('survives every testdata line truncated and mutated at random places', () => {
      const random = seededRandom(fuzzSeed + 1);
      for (const c of cases) {
        for (let i = 0; i < 40; i++) {
          const cut = randomInt(random, 0, c.raw.length);
          parse(c.raw.slice(0, cut));
          parse(c.raw.slice(cut));
          parse(`${c.raw.slice(0, cut)}${randomText(random).slice(0, 3)}${c.raw.slice(cut + 1)}`);
        }
      }
    });

    it('survives random JSON objects', () => {
      const random = seededRandom(fuzzSeed + 2);
      for (let i = 0; i < 2000; i++) parse(JSON.stringify(randomObject(random, 0)));
    });
  });
}

function withFixedValues(expected: Record<string, unknown>): Record<string, unknown> {
  const event = expected.event as Record<string, unknown> | undefined;
  const modtrail = (expected.modtrail as Record<string, unknown> | undefined) ?? {};
  return {
    ...expected,
    event: { ...event, ingested: testdataIngestedAt.toISOString() },
    modtrail: { ...modtrail, origin: testdataOrigin },
  };
}

/** A result is a record that keeps every invariant, or a rejection with a catalogued parse code and a reason. */
export function expectValidResult(result: ParseResult, raw: string, context: ParseContext): void {
  if (!result.ok) {
    expect(Object.keys(errorCatalogue), raw).toContain(result.rejection.code);
    expect(result.rejection.code.startsWith('parse.'), raw).toBe(true);
    expect(result.rejection.reason.length, raw).toBeGreaterThan(0);
    return;
  }
  expectValidRecord(result.record, raw, context);
}

export function expectValidRecord(record: AuditRecord, raw: string, context: ParseContext): void {
  const problems = auditRecordProblems(record);
  expect(problems, `record schema problems for ${JSON.stringify(raw)}:\n  ${problems.join('\n  ')}`).toEqual([]);
  const timestamp = parseRfc3339(record['@timestamp']);
  expect(timestamp?.toISOString(), raw).toBe(record['@timestamp']);
  expect(record.ecs.version).toBe(ecsVersion);
  const { event } = record;
  expect(event.id, raw).toBe(eventId(context.origin, raw));
  expect(event.id).toMatch(/^[0-9a-f]{40}$/);
  expect(['event', 'alert']).toContain(event.kind);
  for (const list of [event.category, event.type]) {
    expect(list.length, raw).toBeGreaterThan(0);
    for (const item of list) expect(item).toMatch(/^[a-z_]+$/);
  }
  expect(event.action, raw).toMatch(/^[a-z]+\.[a-z_]+$/);
  expect(['success', 'failure', 'unknown']).toContain(event.outcome);
  expect(event.dataset).toMatch(/^[a-z]+\.[a-z_]+$/);
  expect(event.ingested).toBe(context.ingestedAt.toISOString());
  expect(event.original).toBe(raw);
  expect(record.observer.product.length).toBeGreaterThan(0);
  expect(record.observer.type.length).toBeGreaterThan(0);
  expect(record.modtrail?.origin).toEqual(context.origin);
  if (record.package) {
    expect(record.package.type).toBe('golang');
    expect(record.package.name.length).toBeGreaterThan(0);
    expect(record.modtrail?.path_error, raw).toBeUndefined();
  }
  expectPlainJson(record, raw);
}

/** Records travel as JSON: no undefined, no Date, no NaN, nothing that would not survive a round trip. */
function expectPlainJson(value: unknown, raw: string): void {
  expect(JSON.parse(JSON.stringify(value)), raw).toStrictEqual(value);
}

const fuzzAlphabet = ' \t{}[]":=,!@/\\.-_%+0123456789abcdefgzAZ\u001b\u00e9\u20ac\ud83d\ude00\u0000\ufffd';

function randomText(random: Random): string {
  let text = '';
  const length = randomInt(random, 0, 120);
  for (let i = 0; i < length; i++) {
    // Half any UTF-16 unit (lone surrogates included), half the characters that steer a parser.
    text += random() < 0.5 ? String.fromCharCode(randomInt(random, 0, 0xffff)) : randomItem(random, [...fuzzAlphabet]);
  }
  return text;
}

const fuzzKeys = ['time', 'timestamp', 'level', 'severity', 'msg', 'message', 'http-method', 'http-path', 'http-status', 'request-id', 'error', 'x'];
const fuzzStrings = [
  '', 'incoming request', 'INFO', 'info', 'ERROR', 'warning', 'GET', '2024-01-02T03:04:05Z', '2024-13-45T99:99:99Z', '7:39AM',
  '/golang.org/x/text/@v/v0.14.0.zip', '/github.com/!azure/x/@v/list', '/github.com/Azure/x/@v/list',
  '/sumdb/sum.golang.org/latest',
  '/healthz', '/@v/list', '/%zz', '200', '404', '\u001b[32m200\u001b[0m', '99999', 'NaN',
];

function randomValue(random: Random, depth: number): unknown {
  switch (randomInt(random, 0, depth > 2 ? 4 : 6)) {
    case 0: return randomItem(random, fuzzStrings);
    case 1: return randomText(random);
    case 2: return randomItem(random, [0, 200, 404, 500, -1, 1.5, 1e21, 99999]);
    case 3: return randomItem(random, [true, false, null]);
    case 4: return randomItem(random, fuzzStrings);
    case 5: return [randomValue(random, depth + 1), randomValue(random, depth + 1)];
    default: return randomObject(random, depth + 1);
  }
}

function randomObject(random: Random, depth: number): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const count = randomInt(random, 0, fuzzKeys.length);
  for (let i = 0; i < count; i++) object[randomItem(random, fuzzKeys)] = randomValue(random, depth);
  return object;
}
