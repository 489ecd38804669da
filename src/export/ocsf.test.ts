import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertFor } from '../alerts/alert-raiser.js';
import type { Parser } from '../core/component.js';
import type { AuditRecord, Decision } from '../core/record.js';
import { applyDecision } from '../evaluate/opa/apply-decision.js';
import { contextFor, readParserCases } from '../normalize/testdata-runner.js';
import { parsers } from '../pipeline/registry.js';
import { minimalRecord } from '../../test/support/sample-record.js';
import { alertToOcsf, ocsfVersion, toOcsf, type OcsfEvent } from './ocsf.js';
import { recordLeaves } from './ocsf/base.js';

const testdataDir = new URL('../normalize/', import.meta.url);
const parserFor = (format: string): Parser => {
  const parser = parsers.find((p) => p.format === format);
  if (!parser) throw new Error(`no parser ${format}`);
  return parser;
};

/** Every record a parser's testdata yields, by format and case name: records are built by the real parsers. */
const testdataRecords: { format: string; name: string; record: AuditRecord }[] = readdirSync(testdataDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && parsers.some((p) => p.format === entry.name))
  .flatMap((entry) =>
    readParserCases(new URL(`${entry.name}/testdata/cases.json`, testdataDir)).flatMap((c) => {
      const result = parserFor(entry.name).parse(c.raw, contextFor(new Date(c.receivedAt), c.observerName));
      return result.ok ? [{ format: entry.name, name: c.name, record: result.record }] : [];
    }),
  );

function parsed(format: string, name: string): AuditRecord {
  const found = testdataRecords.find((r) => r.format === format && r.name === name);
  if (!found) throw new Error(`no ${format} testdata case "${name}"`);
  return found.record;
}

const judged = (record: AuditRecord, decision: Partial<Decision>): AuditRecord =>
  applyDecision(record, { ids: [], names: [], severity: 1, riskScore: 0, alert: false, revision: 'sha256-0123456789ab', ...decision });

const download = (): AuditRecord => parsed('artifactory-request', 'go: zip of a module with an upper-case letter through the Go API (brief example)');
const deniedDownload = (): AuditRecord =>
  judged(parsed('artifactory-access', '7.x: denied anonymous download of a Go module zip'), {
    ids: ['action.sensitive'],
    names: ['Sensitive proxy action'],
    severity: 3,
    riskScore: 47,
    alert: true,
  });
const gosumdbOff = (): AuditRecord =>
  judged(parsed('agent', 'powershell: user-scope GOSUMDB=off on a GPO-managed machine'), {
    ids: ['goenv.gosumdb_disabled', 'goenv.unmanaged_change'],
    names: ['Checksum database off or unapproved', 'Go setting changed outside its management'],
    severity: 4,
    riskScore: 73,
    alert: true,
  });

const at = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);

/** OCSF 1.3.0 required attributes: the base event's, each class's, and those of the objects used when present. */
const requiredByClass: Record<number, string[]> = {
  6003: ['actor', 'api', 'api.operation', 'src_endpoint'],
  5019: ['device', 'device.type_id'],
  2004: ['finding_info', 'finding_info.uid', 'finding_info.title', 'finding_info.analytic.type_id', 'evidences'],
};
const baseRequired = ['activity_id', 'category_uid', 'class_uid', 'type_uid', 'severity_id', 'time', 'metadata', 'metadata.version', 'metadata.product', 'metadata.product.vendor_name'];
const requiredWhenPresent: Record<string, string[]> = {
  'api.request': ['uid'],
  device: ['type_id'],
  'device.os': ['name', 'type_id'],
  'actor.process.file': ['name', 'type_id'],
  'finding_info.analytic': ['type_id'],
};

function expectRequiredAttributes(event: OcsfEvent): void {
  for (const path of [...baseRequired, ...(requiredByClass[event.class_uid] ?? ['unknown class'])]) expect(at(event, path), path).toBeDefined();
  for (const [object, attributes] of Object.entries(requiredWhenPresent)) {
    if (at(event, object) === undefined) continue;
    for (const attribute of attributes) expect(at(event, `${object}.${attribute}`), `${object}.${attribute}`).toBeDefined();
  }
  for (const agent of (at(event, 'device.agent_list') as unknown[] | undefined) ?? []) expect(at(agent, 'type_id')).toBeDefined();
  expect(event.type_uid).toBe(event.class_uid * 100 + event.activity_id);
  expect(Math.floor(event.class_uid / 1000)).toBe(event.category_uid);
  expect(event.metadata.version).toBe(ocsfVersion);
  expect(Number.isInteger(event.time)).toBe(true);
  // No undefined and no empty string anywhere: compact JSON, and every string attribute says something.
  expect(JSON.parse(JSON.stringify(event))).toEqual(event);
}

/** Every value at a leaf of the OCSF event, outside `unmapped`. */
function mappedValues(event: OcsfEvent): unknown[] {
  const values: unknown[] = [];
  const walk = (value: unknown, key: string): void => {
    if (key === 'unmapped' || key === 'raw_data') return;
    if (Array.isArray(value)) value.forEach((item) => walk(item, ''));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
    else values.push(value);
  };
  walk(event, '');
  return values;
}

/**
 * Nothing is lost silently: each leaf of the record is under `unmapped` by its ECS name, or its value (in OCSF's
 * units: epoch ms for timestamps, ms for event.duration) appears in a mapped attribute, or it is event.original,
 * kept as raw_data. A record field no mapping knows lands under unmapped on its own, so a new field cannot vanish.
 */
function expectNothingLost(record: AuditRecord, event: OcsfEvent): void {
  const values = mappedValues(event);
  const unmapped = event.unmapped ?? {};
  for (const [path, value] of recordLeaves(record)) {
    if (path in unmapped) {
      expect(unmapped[path], path).toEqual(value);
      continue;
    }
    if (path === 'event.original') {
      expect(event.raw_data).toBe(value);
      continue;
    }
    const forms = [value];
    if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) forms.push(Date.parse(value));
    if (path === 'event.duration') forms.push((value as number) / 1e6);
    // os.name is OCSF's caption of the type (Windows, macOS), the same word as ECS's lower-case host.os.type.
    if (path === 'host.os.type') forms.push(...values.filter((v) => typeof v === 'string' && v.toLowerCase() === String(value)));
    if (path === 'event.outcome') forms.push(`${String(value).charAt(0).toUpperCase()}${String(value).slice(1)}`);
    const items = Array.isArray(value) ? value : [value];
    const found = Array.isArray(value) ? items.every((item) => values.includes(item)) : forms.some((form) => values.includes(form));
    expect(found, `${path} = ${JSON.stringify(value)} is neither mapped nor unmapped`).toBe(true);
  }
  // unmapped holds record fields only, by their ECS names.
  const paths = new Set(recordLeaves(record).map(([path]) => path));
  for (const key of Object.keys(unmapped)) expect(paths.has(key), `unmapped.${key}`).toBe(true);
}

describe('toOcsf: a module download', () => {
  const record = download();
  const event = toOcsf(record, { productVersion: '0.1.0' });

  it('is API Activity: Read, in Application Activity', () => {
    expect(event).toMatchObject({
      class_uid: 6003,
      class_name: 'API Activity',
      category_uid: 6,
      category_name: 'Application Activity',
      activity_id: 2,
      activity_name: 'Read',
      type_uid: 600302,
      type_name: 'API Activity: Read',
    });
    expectRequiredAttributes(event);
  });

  it('maps time, metadata, who, what and where', () => {
    expect(event.time).toBe(Date.parse('2024-03-04T10:15:30.123Z'));
    expect(event.time).toBe(1709547330123);
    expect(event.metadata).toEqual({
      version: '1.3.0',
      product: { name: 'modtrail', vendor_name: 'modtrail', version: '0.1.0' },
      uid: record.event.id,
      original_time: '2024-03-04T10:15:30.123Z',
      log_name: 'artifactory.request',
      log_provider: 'artifactory',
      event_code: 'module.zip',
      correlation_uid: '4b1a9c2e3f5d6a7b',
      processed_time: Date.parse(record.event.ingested),
      loggers: [{ product: { name: 'Artifactory', vendor_name: 'JFrog' } }],
    });
    expect(event).toMatchObject({
      severity_id: 0,
      severity: 'Unknown',
      status_id: 1,
      status: 'Success',
      status_code: '200',
      duration: 412,
      actor: { user: { name: 'jdoe' } },
      src_endpoint: { ip: '10.1.2.3' },
      api: { operation: 'module.zip', request: { uid: '4b1a9c2e3f5d6a7b' }, response: { code: 200 }, service: { name: 'Artifactory' } },
      http_request: {
        http_method: 'GET',
        user_agent: 'Go-http-client/1.1',
        url: { path: '/api/go/go-remote/github.com/!azure/azure-sdk-for-go/@v/v68.0.0+incompatible.zip' },
      },
      resources: [
        {
          uid: 'github.com/Azure/azure-sdk-for-go@v68.0.0+incompatible',
          name: 'github.com/Azure/azure-sdk-for-go',
          version: 'v68.0.0+incompatible',
          type: 'golang',
        },
      ],
      raw_data: record.event.original,
    });
  });

  it('keeps what OCSF has no place for under unmapped, by ECS name', () => {
    expect(event).not.toHaveProperty('http_response');
    expect(event.unmapped).toMatchObject({ 'modtrail.repository': 'go-remote', 'http.response.body.bytes': 1048576, 'ecs.version': '8.17.0', 'event.category': ['web', 'package'], 'url.original': record.url?.original });
    expect(event.unmapped).not.toHaveProperty('event.id');
    expectNothingLost(record, event);
  });

  it('leaves metadata.product.version out unless the caller gives it (the mapping reads no files)', () => {
    expect(toOcsf(record).metadata.product).toEqual({ name: 'modtrail', vendor_name: 'modtrail' });
  });
});

describe('toOcsf: a denied download', () => {
  const record = deniedDownload();
  const event = toOcsf(record);

  it('is a failed API Activity: Read with the verdict and the policy severity', () => {
    expect(event).toMatchObject({ class_uid: 6003, activity_id: 2, type_uid: 600302, status_id: 2, status: 'Failure', status_detail: 'DENIED DOWNLOAD' });
    expect(event).toMatchObject({ severity_id: 3, severity: 'Medium' });
    expect(event).toMatchObject({ actor: { user: { name: 'anonymous' } }, src_endpoint: { ip: '10.1.2.4' }, api: { operation: 'module.zip', request: { uid: '5c2b0d3f4a6e7b8c' } } });
    expect(event).not.toHaveProperty('http_request');
    expectRequiredAttributes(event);
  });

  it('keeps the rule, risk score, alert flag and repository under unmapped', () => {
    expect(event.unmapped).toMatchObject({
      'rule.id': ['action.sensitive'],
      'rule.name': ['Sensitive proxy action'],
      'rule.ruleset': 'modtrail',
      'rule.version': 'sha256-0123456789ab',
      'event.risk_score': 47,
      'modtrail.alert': true,
      'modtrail.repository': 'go-remote-cache',
      'event.type': ['access', 'denied'],
    });
    expectNothingLost(record, event);
  });
});

describe('toOcsf: a Go setting change (GOSUMDB=off)', () => {
  const record = gosumdbOff();
  const event = toOcsf(record);

  it('is Device Config State Change: Log, in Discovery', () => {
    expect(event).toMatchObject({
      class_uid: 5019,
      class_name: 'Device Config State Change',
      category_uid: 5,
      category_name: 'Discovery',
      activity_id: 1,
      activity_name: 'Log',
      type_uid: 501901,
      severity_id: 4,
      severity: 'High',
      status_id: 1,
    });
    expect(event.time).toBe(Date.parse('2024-06-01T09:02:03.456Z'));
    expect(event.metadata).toMatchObject({ uid: record.event.id, log_name: 'agent.goenv', event_code: 'goenv.changed', original_time: '2024-06-01T09:02:03.456Z' });
    expectRequiredAttributes(event);
  });

  it('names the machine, the user and the process that made the change', () => {
    expect(event).toMatchObject({
      device: {
        type_id: 0,
        hostname: 'DEV-0042',
        os: { name: 'Windows', type_id: 100 },
        agent_list: [{ name: 'modtrail-agent', version: '1.0.0', type: 'Configuration Management', type_id: 8 }],
      },
      actor: {
        user: { name: 'alice', domain: 'CORP' },
        process: { pid: 7312, file: { name: 'powershell.exe', path: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', type_id: 1 } },
      },
    });
  });

  it('says the judged machine is at risk, and keeps the setting itself under unmapped', () => {
    expect(event).toMatchObject({ security_level_id: 2, security_level: 'At Risk', security_states: [{ state_id: 2, state: 'Policy mismatch' }] });
    expect(event.unmapped).toMatchObject({ 'agent.type': 'modtrail-agent', 'goenv.name': 'GOSUMDB', 'goenv.value': 'off', 'goenv.scope': 'user', 'goenv.mechanism': 'powershell', 'goenv.managed_by': 'gpo' });
    expect(event.unmapped).not.toHaveProperty('goenv.previous_value');
    expectNothingLost(record, event);
  });

  it('is Secure when judged with nothing matched, and says nothing of security when not judged', () => {
    const clean = toOcsf(judged(parsed('agent', 'gpo: machine-scope GOPROXY set by Group Policy Preferences'), {}));
    expect(clean).toMatchObject({ security_level_id: 1, security_level: 'Secure', severity_id: 1, severity: 'Informational' });
    expect(clean).not.toHaveProperty('security_states');
    const unjudged = toOcsf(parsed('agent', 'gpo: machine-scope GOPROXY set by Group Policy Preferences'));
    expect(unjudged).not.toHaveProperty('security_level_id');
    expect(unjudged.severity_id).toBe(0);
  });

  it('maps a snapshot to activity 2 Collect and keeps its settings whole', () => {
    const record = parsed('agent', 'snapshot: the effective Go settings of a user on Windows');
    const event = toOcsf(record);
    expect(event).toMatchObject({ class_uid: 5019, activity_id: 2, activity_name: 'Collect', type_uid: 501902 });
    expect(event.unmapped?.['goenv.settings']).toEqual(record.goenv?.settings);
    expectNothingLost(record, event);
  });
});

describe('alertToOcsf', () => {
  const record = gosumdbOff();
  const alert = alertFor(record);
  if (!alert) throw new Error('the judged record raises an alert');
  const finding = alertToOcsf(alert, { productVersion: '0.1.0' });

  it('is Detection Finding: Create, in Findings, New, at the alert severity', () => {
    expect(finding).toMatchObject({
      class_uid: 2004,
      class_name: 'Detection Finding',
      category_uid: 2,
      category_name: 'Findings',
      activity_id: 1,
      activity_name: 'Create',
      type_uid: 200401,
      type_name: 'Detection Finding: Create',
      severity_id: 4,
      severity: 'High',
      status_id: 1,
      status: 'New',
      time: Date.parse(alert['@timestamp']),
      risk_score: 73,
    });
    expect(finding.metadata).toEqual({
      version: '1.3.0',
      product: { name: 'modtrail', vendor_name: 'modtrail', version: '0.1.0' },
      uid: alert.id,
      original_time: alert['@timestamp'],
      log_name: 'agent.goenv',
      event_code: 'alert',
      correlation_uid: alert.fingerprint,
    });
    expectRequiredAttributes(finding);
  });

  it('describes the finding by its rules, one analytic each', () => {
    expect(finding.finding_info).toMatchObject({
      uid: alert.id,
      title: 'Checksum database off or unapproved; Go setting changed outside its management',
      types: ['goenv.gosumdb_disabled', 'goenv.unmanaged_change'],
      analytic: { uid: 'goenv.gosumdb_disabled', name: 'Checksum database off or unapproved', type_id: 1, type: 'Rule', version: 'sha256-0123456789ab' },
      related_analytics: [{ uid: 'goenv.unmanaged_change', name: 'Go setting changed outside its management', type_id: 1, type: 'Rule' }],
      data_sources: ['agent.goenv'],
      first_seen_time: Date.parse(record['@timestamp']),
      desc: 'goenv.changed GOSUMDB=off by alice on DEV-0042 (success)',
    });
  });

  it("points at the record's own OCSF event and carries the evidence", () => {
    const recordEvent = toOcsf(record);
    expect(finding.finding_info.related_events).toEqual([{ uid: record.event.id, type_uid: recordEvent.type_uid, type_name: recordEvent.type_name }]);
    expect(finding.device).toEqual((recordEvent as { device?: unknown }).device);
    expect(finding.resources).toEqual([{ name: 'GOSUMDB', type: 'Go setting', data: { value: 'off', scope: 'user', mechanism: 'powershell', managed_by: 'gpo' } }]);
    expect(finding.evidences).toHaveLength(1);
    expect(finding.evidences[0]).toMatchObject({ actor: { user: { name: 'alice' } }, device: { hostname: 'DEV-0042' }, data: { 'event.id': record.event.id } });
    expect(finding.evidences[0]).not.toHaveProperty('api');
    expect(finding.raw_data).toBe(record.event.original);
  });

  it('maps every field of the alert', () => {
    expect(Object.keys(alert).sort()).toEqual(['@timestamp', 'fingerprint', 'id', 'record', 'rule', 'severity']);
    const values = mappedValues(finding);
    for (const value of [alert.id, alert.fingerprint, alert['@timestamp'], alert.rule.version, alert.severity, ...alert.rule.id, ...alert.rule.name]) {
      expect(values, String(value)).toContain(value);
    }
  });

  it('carries the module and the request for an alert on a download', () => {
    const download = deniedDownload();
    const alert = alertFor(download);
    if (!alert) throw new Error('the judged record raises an alert');
    const finding = alertToOcsf(alert);
    expect(finding).toMatchObject({ severity_id: 3, finding_info: { title: 'Sensitive proxy action', types: ['action.sensitive'], related_events: [{ type_uid: 600302 }] } });
    expect(finding).not.toHaveProperty('finding_info.related_analytics');
    expect(finding.resources).toEqual([{ uid: 'github.com/Azure/azure-sdk-for-go@v68.0.0+incompatible', name: 'github.com/Azure/azure-sdk-for-go', version: 'v68.0.0+incompatible', type: 'golang' }]);
    expect(finding.evidences[0]).toMatchObject({ actor: { user: { name: 'anonymous' } }, src_endpoint: { ip: '10.1.2.4' }, api: { operation: 'module.zip', request: { uid: '5c2b0d3f4a6e7b8c' } } });
    expectRequiredAttributes(finding);
  });
});

describe('toOcsf over every parser testdata record', () => {
  it('has records from every format', () => {
    expect(new Set(testdataRecords.map((r) => r.format))).toEqual(new Set(parsers.map((p) => p.format)));
  });

  it.each(testdataRecords.map((r) => [`${r.format}: ${r.name}`, r.record] as const))('%s', (_name, record) => {
    const event = toOcsf(record);
    expect(event.class_uid).toBe(record.event.action.startsWith('goenv.') || record.event.action.startsWith('registry.') ? 5019 : 6003);
    expectRequiredAttributes(event);
    expectNothingLost(record, event);
  });
});

describe('activity ids of API Activity', () => {
  const withAction = (action: string, method?: string): AuditRecord => ({
    ...minimalRecord,
    event: { ...minimalRecord.event, action },
    ...(method === undefined ? {} : { http: { request: { method } } }),
  });
  const activity = (record: AuditRecord): [number, string] => {
    const event = toOcsf(record);
    return [event.activity_id, event.activity_name];
  };

  it('follows the action, then the method, and names what it cannot place', () => {
    expect(activity(withAction('module.deploy', 'PUT'))).toEqual([1, 'Create']);
    expect(activity(withAction('module.deploy'))).toEqual([1, 'Create']);
    expect(activity(withAction('artifact.delete'))).toEqual([4, 'Delete']);
    expect(activity(withAction('module.list'))).toEqual([2, 'Read']);
    expect(activity(withAction('sumdb.lookup', 'GET'))).toEqual([2, 'Read']);
    expect(activity(withAction('proxy.admin', 'POST'))).toEqual([1, 'Create']);
    expect(activity(withAction('proxy.admin', 'PUT'))).toEqual([3, 'Update']);
    expect(activity(withAction('proxy.other', 'DELETE'))).toEqual([4, 'Delete']);
    expect(activity(withAction('proxy.log', 'GET'))).toEqual([99, 'proxy.log']);
    expect(activity(withAction('user.login'))).toEqual([99, 'user.login']);
    expect(activity(withAction('artifactory.configuration_change'))).toEqual([99, 'artifactory.configuration_change']);
    expect(toOcsf(withAction('user.login')).type_uid).toBe(600399);
  });

  it('keeps an empty actor and source endpoint present when the proxy logged neither (Athens)', () => {
    const event = toOcsf(minimalRecord);
    expect(event).toMatchObject({ actor: {}, src_endpoint: {} });
    expectRequiredAttributes(event);
    expectNothingLost(minimalRecord, event);
  });

  it('keeps a sub-millisecond duration exactly under unmapped', () => {
    const record: AuditRecord = { ...minimalRecord, event: { ...minimalRecord.event, duration: 1_500_000 } };
    const event = toOcsf(record);
    expect(event.duration).toBe(2);
    expect(event.unmapped?.['event.duration']).toBe(1_500_000);
  });
});
