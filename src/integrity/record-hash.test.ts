import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../core/record.js';
import { canonicalize } from './canonical-json.js';
import { recordHash, storedJson, withHash } from './record-hash.js';
import { minimalRecord } from '../../test/support/sample-record.js';

const minimal: AuditRecord = { ...minimalRecord, modtrail: { origin: { topic: 'modtrail.proxy', partition: 0, offset: '42' } } };

/** A record with a decision and nested fields, so that every depth can be tampered with. */
const judged: AuditRecord = {
  ...minimal,
  event: { ...minimal.event, kind: 'alert', severity: 5, risk_score: 99.5, duration: 1_500_000 },
  user: { name: 'alice', domain: 'CORP' },
  package: { name: 'github.com/evil/mod', version: 'v1.0.0', type: 'golang' },
  http: { request: { method: 'GET' }, response: { status_code: 200, body: { bytes: 1234 } } },
  rule: { id: ['MT-001', 'MT-007'], name: ['blocked module', 'new module'], ruleset: 'modtrail', version: 'r42' },
  goenv: { settings: { GOPROXY: 'https://proxy.golang.org,direct', GOSUMDB: 'off' } },
  modtrail: { alert: true, origin: { topic: 'modtrail.proxy', partition: 3, offset: '9007199254740993' } },
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Every path to a leaf (string, number, boolean) of a JSON value. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafPaths(item, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([name, member]) => leafPaths(member, [...path, name]));
  return [path];
}

/** A deep copy with the leaf at `path` changed to another value of the same type. */
function tamper(record: AuditRecord, path: (string | number)[]): AuditRecord {
  const copy = structuredClone(record) as unknown as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  const leaf = parent[last];
  parent[last] = typeof leaf === 'number' ? leaf + 1 : typeof leaf === 'boolean' ? !leaf : `${String(leaf)}x`;
  return copy as unknown as AuditRecord;
}

describe('recordHash', () => {
  it('is lower-case hex SHA-256 over the canonical JSON, written out here by hand', () => {
    const canonical =
      '{"@timestamp":"2024-06-01T07:30:00.000Z","ecs":{"version":"8.17.0"},"event":{"action":"module.zip",' +
      '"category":["web","package"],"dataset":"athens.access","id":"6a58add7d49b330a77ee672ef9fad6f840f51111",' +
      '"ingested":"2024-06-01T07:30:01.250Z","kind":"event","original":"raw line","outcome":"success","type":["access"]},' +
      '"modtrail":{"origin":{"offset":"42","partition":0,"topic":"modtrail.proxy"}},"observer":{"product":"athens","type":"proxy"}}';
    expect(recordHash(minimal)).toBe(sha256(canonical));
    expect(recordHash(minimal)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when any field at any depth changes, the decision included', () => {
    const original = recordHash(judged);
    const paths = leafPaths(judged);
    expect(paths.length).toBeGreaterThan(30);
    for (const path of paths) expect(recordHash(tamper(judged, path)), path.join('.')).not.toBe(original);
  });

  it('changes when a field is added or removed', () => {
    expect(recordHash({ ...judged, message: 'added' })).not.toBe(recordHash(judged));
    const { rule: _removed, ...withoutRule } = judged;
    expect(recordHash(withoutRule)).not.toBe(recordHash(judged));
    expect(recordHash({ ...judged, rule: { ...judged.rule!, id: ['MT-007', 'MT-001'] } })).not.toBe(recordHash(judged));
  });

  it('does not depend on member order', () => {
    const reversed = JSON.parse(JSON.stringify(judged, (_name, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    )) as AuditRecord;
    expect(Object.keys(reversed)).toEqual(Object.keys(judged).reverse());
    expect(recordHash(reversed)).toBe(recordHash(judged));
  });

  it('leaves event.hash out, and only that', () => {
    expect(recordHash({ ...judged, event: { ...judged.event, hash: 'anything' } })).toBe(recordHash(judged));
  });

  it('is the same after a JSON round trip, as a record read back from the store is', () => {
    expect(recordHash(JSON.parse(JSON.stringify(judged)) as AuditRecord)).toBe(recordHash(judged));
  });

  it('ignores undefined optional fields, which a store never sees', () => {
    expect(recordHash({ ...minimal, user: undefined })).toBe(recordHash(minimal));
  });
});

describe('withHash', () => {
  it('sets event.hash to the record hash and leaves the input alone', () => {
    const hashed = withHash(judged);
    expect(hashed.event.hash).toBe(recordHash(judged));
    expect(judged.event.hash).toBeUndefined();
    expect(recordHash(hashed)).toBe(hashed.event.hash);
  });

  it('replaces a stale hash', () => {
    expect(withHash({ ...judged, event: { ...judged.event, hash: 'stale' } }).event.hash).toBe(recordHash(judged));
  });
});

describe('withHash serializes once', () => {
  // `hash` sorts first, in the middle and alone among the event's members; the result must not depend on that.
  const events: AuditRecord['event'][] = [
    { ...minimal.event },
    { id: 'e1', kind: 'event' } as AuditRecord['event'],
    { action: 'a', id: 'e1', kind: 'event' } as AuditRecord['event'],
  ];
  it.each(events.map((event) => [Object.keys(event).join(','), event] as const))('hashes as recordHash does and stores the canonical form with the hash (event: %s)', (_keys, event) => {
    // `event` also first, last and alone among the record's members.
    const bare = [{ event }, { '@timestamp': minimal['@timestamp'], event }, { event, observer: { type: 'proxy' } }] as unknown as AuditRecord[];
    for (const record of [{ ...judged, event: { ...judged.event, ...event } }, { ...minimal, event }, ...bare]) {
      const hashed = withHash(record);
      expect(hashed.event.hash).toBe(recordHash(record));
      expect(recordHash(hashed)).toBe(hashed.event.hash);
      expect(storedJson(hashed)).toBe(canonicalize(hashed));
      expect(JSON.parse(storedJson(hashed)!)).toEqual(hashed);
      expect(storedJson(record)).toBeUndefined();
    }
  });
});
