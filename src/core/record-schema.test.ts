import { describe, expect, it } from 'vitest';
import { auditRecordProblems, auditRecordSchema } from './record-schema.js';
import type { AuditRecord } from './record.js';
import { minimalRecord } from '../../test/support/sample-record.js';

const minimal: AuditRecord = minimalRecord;

/** Every field the type has, each with a plausible value. */
const full: AuditRecord = {
  ...minimal,
  event: { ...minimal.event, kind: 'alert', module: 'athens', duration: 1_500_000, severity: 5, risk_score: 99.5, hash: 'abc123' },
  observer: { vendor: 'gomods', product: 'athens', type: 'proxy', name: 'athens-eu-1', hostname: 'proxy-1' },
  user: { name: 'alice', domain: 'CORP', id: 'S-1-5-21-1-2-3-1001' },
  source: { ip: '2001:db8::1', address: 'build-7.corp' },
  host: { name: 'DEV-0042', ip: ['10.1.2.3', 'fe80::1'], os: { type: 'windows' } },
  agent: { id: 'a1', name: 'modtrail-agent', type: 'modtrail-agent', version: '1.0.0' },
  http: { request: { method: 'GET', bytes: 0 }, response: { status_code: 404, body: { bytes: 12 } } },
  url: { path: '/golang.org/x/text/@v/v0.14.0.zip', original: 'https://proxy/golang.org/x/text/@v/v0.14.0.zip' },
  user_agent: { original: 'Go-http-client/1.1' },
  trace: { id: '3f0c2a8e' },
  package: { name: 'golang.org/x/text', version: 'v0.14.0', type: 'golang' },
  process: { executable: 'C:\\Windows\\System32\\reg.exe', pid: 4242, name: 'reg.exe' },
  registry: {
    hive: 'HKLM',
    key: 'SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment',
    path: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment\\GOPROXY',
    value: 'GOPROXY',
    data: { strings: ['https://proxy.corp.example'], type: 'SZ' },
  },
  log: { level: 'info', logger: 'athens' },
  message: 'incoming request',
  rule: { id: ['goproxy.unapproved'], name: ['GOPROXY points at an unapproved proxy'], ruleset: 'modtrail', version: 'rev-1' },
  goenv: { name: 'GOPROXY', value: 'direct', previous_value: 'https://proxy.golang.org', scope: 'machine', mechanism: 'gpo' },
  modtrail: {
    repository: 'go-remote',
    sumdb: 'sum.golang.org',
    source_action: 'ACCEPTED DOWNLOAD',
    path_error: 'invalid case escape',
    alert: true,
    origin: { topic: 'modtrail.proxy', partition: 3, offset: '1234567890123' },
    evaluation_error: 'timeout',
  },
};

/** A copy of `record` with the value at `path` replaced (or removed when `value` is undefined). */
function withValue(record: AuditRecord, path: string, value: unknown): unknown {
  const copy = structuredClone(record) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

describe('auditRecordSchema', () => {
  it('accepts a record with only the required fields', () => {
    expect(auditRecordProblems(minimal)).toEqual([]);
  });

  it('accepts a record with every field', () => {
    expect(auditRecordProblems(full)).toEqual([]);
    expect(auditRecordSchema.parse(full)).toEqual(full);
  });

  it('accepts an empty rule match (no rule ids) and a zero risk score', () => {
    const judged = { ...minimal, event: { ...minimal.event, severity: 1, risk_score: 0 }, rule: { id: [], name: [], ruleset: 'modtrail', version: 'r1' } };
    expect(auditRecordProblems(judged)).toEqual([]);
  });

  it('names an unknown field with its key path, at the top and nested', () => {
    expect(auditRecordProblems({ ...minimal, labels: {} })).toEqual(['labels: unknown field']);
    expect(auditRecordProblems(withValue(full, 'host.os.family', 'windows'))).toEqual(['host.os.family: unknown field']);
    expect(auditRecordProblems(withValue(full, 'goenv.baseline', {}))).toEqual(['goenv.baseline: unknown field']);
  });

  it('names a missing required field', () => {
    expect(auditRecordProblems(withValue(minimal, 'observer.product', undefined))).toEqual(['observer.product: is required']);
    expect(auditRecordProblems(withValue(minimal, 'event', undefined))).toHaveLength(1);
    expect(auditRecordProblems(withValue(full, 'package.type', undefined))).toEqual(['package.type: is required']);
  });

  it.each([
    ['@timestamp', '2024-06-01T09:30:00+02:00'],
    ['@timestamp', '2024-06-01 07:30:00Z'],
    ['@timestamp', '2024-13-01T07:30:00.000Z'],
    ['@timestamp', 1717227000000],
    ['event.ingested', 'yesterday'],
  ])('rejects %s = %j: timestamps are ISO-8601 UTC', (path, value) => {
    expect(auditRecordProblems(withValue(minimal, path, value))[0]).toMatch(new RegExp(`^${path.replace('.', '\\.')}: must be`));
  });

  it.each([
    ['event.id', '6A58ADD7D49B330A77EE672EF9FAD6F840F51111'],
    ['event.id', '6a58add7d49b330a77ee672ef9fad6f840f5111'],
    ['event.id', 'not-an-id'],
    ['event.kind', 'signal'],
    ['event.outcome', 'ok'],
    ['event.category', []],
    ['event.category', ['goenv']],
    ['event.type', ['changed']],
    ['event.action', 'Module.Zip'],
    ['event.action', 'zip'],
    ['event.dataset', 'athens'],
    ['event.severity', 0],
    ['event.severity', 6],
    ['event.severity', 2.5],
    ['event.risk_score', 101],
    ['event.duration', -1],
    ['observer.type', ''],
    ['source.ip', '10.1.2'],
    ['source.ip', 'proxy.corp'],
    ['host.ip', ['10.1.2.3', 'fe80::1%eth0']],
    ['host.os.type', 'darwin'],
    ['http.response.status_code', 600],
    ['package.type', 'npm'],
    ['package.name', ''],
    ['goenv.name', 'goproxy'],
    ['modtrail.alert', 'yes'],
    ['modtrail.origin.offset', '-1'],
    ['modtrail.origin.offset', 12],
    ['modtrail.origin.partition', 1.5],
  ])('rejects %s = %j', (path, value) => {
    const problems = auditRecordProblems(withValue(full, path, value));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${path.replaceAll('.', '\\.')}(\\[\\d+\\])?: `));
  });

  it('reports every problem at once', () => {
    const broken = { ...full, event: { ...full.event, id: 'x', severity: 9 }, package: { name: 'm', type: 'npm' }, extra: 1 };
    expect(auditRecordProblems(broken)).toEqual([
      'event.id: must be 40 lower-case hex digits',
      'event.severity: must be 1 to 5',
      'package.type: must be golang',
      'extra: unknown field',
    ]);
  });

  it('rejects what is not an object', () => {
    expect(auditRecordProblems(null)).toEqual(['(record): must be an object']);
    expect(auditRecordProblems([])).toHaveLength(1);
  });
});
