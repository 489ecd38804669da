import { describe, expect, it } from 'vitest';
import { rawHits } from './raw-hits.js';

const json = (value: unknown, replacer?: null, space?: number): Buffer => Buffer.from(JSON.stringify(value, replacer, space));

const answer = (hits: object[], space?: number) =>
  json({ pit_id: 'abc==', took: 3, timed_out: false, _shards: { total: 1, successful: 1 }, hits: { max_score: null, hits }, extra: [1, { hits: 'not these' }] }, null, space);

const hit = (source: unknown, i: number) => ({ _index: 'm-audit-2026.11.24', _id: `id-${i}`, _score: null, _source: source, sort: [i, `id-${i}`] });

/** Strings that trip a scanner which does not follow JSON's own rules. */
const nasty = ['plain', 'a "quoted" word', 'ends in a backslash \\', '\\"', '\\\\"}', '{[}]', '"}],"sort":[9]}', 'line\nbreak\ttab', 'émoji 😀 \u2028', '', '\u0000\u001f'];

describe('rawHits', () => {
  it('gives each _source as the exact bytes returned, with sort parsed', () => {
    const sources = nasty.map((text, i) => ({ event: { id: `e${i}`, original: text }, labels: { [text]: [text, { deeper: [text] }] }, n: i * 1.5, ok: i % 2 === 0, none: null }));
    const hits = rawHits(answer(sources.map((source, i) => hit(source, i))));
    expect(hits).toHaveLength(sources.length);
    hits.forEach((found, i) => {
      expect(found.source.toString()).toBe(JSON.stringify(sources[i]));
      expect(JSON.parse(found.source.toString())).toEqual(sources[i]);
      expect(found.sort).toEqual([i, `id-${i}`]);
      expect(found.picked).toBeUndefined();
    });
  });

  it('picks the value at a path of each _source, only at that path', () => {
    const origin = { offset: '17', partition: 1, topic: 'modtrail.proxy' };
    const sources = [
      { event: { original: '"modtrail":{"origin":{"offset":"666"}}' }, labels: { modtrail: { origin: 'decoy' } }, modtrail: { origin }, zz: { modtrail: { origin: 'after' } } },
      { modtrail: { format: 'athens' } },
      { modtrail: 'not an object' },
      { other: 1 },
      { modtrail: { origin: null } },
    ];
    const hits = rawHits(answer(sources.map((source, i) => hit(source, i))), ['modtrail', 'origin']);
    expect(hits.map((h) => h.picked)).toEqual([origin, undefined, undefined, undefined, null]);
    expect(hits.map((h) => JSON.parse(h.source.toString()))).toEqual(sources);
  });

  it('reads pretty-printed answers and keys written with escapes', () => {
    const body = Buffer.from(answer([hit({ a: { b: ['x', 1, true, null] } }, 0)], 2).toString().replace('"_source"', '"\\u005fsource"'));
    const [only] = rawHits(body);
    expect(JSON.parse(only!.source.toString())).toEqual({ a: { b: ['x', 1, true, null] } });
    expect(only!.sort).toEqual([0, 'id-0']);
  });

  it('agrees with JSON.parse on many generated records', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const text = () => Array.from({ length: Math.floor(random() * 12) }, () => '"\\{}[]:,a é\n'[Math.floor(random() * 13)]).join('');
    const value = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 3 ? 4 : 6));
      if (kind === 0) return text();
      if (kind === 1) return Math.floor(random() * 1e6) / 100;
      if (kind === 2) return random() < 0.5;
      if (kind === 3) return null;
      if (kind === 4) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [text(), value(depth + 1)]));
    };
    const sources = Array.from({ length: 300 }, () => ({ record: value(0), tail: text() }));
    const hits = rawHits(answer(sources.map((source, i) => hit(source, i))));
    expect(hits.map((h) => JSON.parse(h.source.toString()))).toEqual(JSON.parse(JSON.stringify(sources)));
  });

  it('gives nothing for an answer without hits, and refuses what is not a search answer', () => {
    expect(rawHits(json({ took: 1, hits: { hits: [] } }))).toEqual([]);
    expect(rawHits(json({ took: 1, hits: {} }))).toEqual([]);
    expect(() => rawHits(Buffer.from('{"error":{"type":"search_phase_execution_exception"},"status":400}'))).toThrow(/search failed: \{"type":"search_phase_execution_exception"\}/);
    expect(() => rawHits(Buffer.from('{"took":1}'))).toThrow(SyntaxError);
    expect(() => rawHits(Buffer.from('{"hits":{"hits":[{"_id":"x","_source":{"a":"unterminated}]}}'))).toThrow(/unterminated/);
    expect(() => rawHits(Buffer.from('{"hits":{"hits":[{"_id":"x","sort":[1]}]}}'))).toThrow(/without _source/);
    expect(() => rawHits(Buffer.from('{"hits":{"hits":[{"_id" "x"}]}}'))).toThrow(SyntaxError);
  });
});
