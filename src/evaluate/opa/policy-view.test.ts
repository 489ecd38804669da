import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../core/record.js';
import { policyView } from './policy-view.js';

const record: AuditRecord = {
  '@timestamp': '2025-11-24T10:00:00.000Z',
  ecs: { version: '8.17.0' },
  event: {
    id: 'evt-1',
    kind: 'event',
    category: ['package', 'web'],
    type: ['access'],
    action: 'module.zip',
    outcome: 'success',
    dataset: 'artifactory.request',
    module: 'artifactory',
    duration: 5_000_000,
    ingested: '2025-11-24T10:00:01.000Z',
    original: '2025-11-24T10:00:00.000Z|abc|10.0.0.7|jdoe|GET|/artifactory/api/go/go-remote/x|200|-1|1000|5|Go-http-client/1.1',
  },
  observer: { vendor: 'jfrog', product: 'artifactory', type: 'proxy', name: 'art-1' },
  user: { name: 'jdoe' },
  source: { ip: '10.0.0.7' },
  host: { name: 'DEV-WS-0142', os: { type: 'windows' } },
  agent: { name: 'modtrail-agent', version: '1.4.2' },
  http: { request: { method: 'GET' }, response: { status_code: 200, body: { bytes: 1000 } } },
  url: { path: '/artifactory/api/go/go-remote/github.com/evil-corp/backdoor/@v/v1.0.0.zip', original: 'https://art/x?y=1' },
  user_agent: { original: 'Go-http-client/1.1' },
  trace: { id: 'abc' },
  package: { name: 'github.com/evil-corp/backdoor', version: 'v1.0.0', type: 'golang' },
  process: { executable: 'C:\\Windows\\System32\\reg.exe', pid: 4242 },
  registry: { hive: 'HKLM', path: 'HKLM\\Environment\\GOPROXY', value: 'GOPROXY', data: { strings: ['direct'] } },
  goenv: { name: 'GOPROXY', value: 'direct', previous_value: 'https://proxy.golang.org,direct', scope: 'user' },
  log: { level: 'info' },
  message: 'incoming request',
  modtrail: {
    repository: 'go-remote',
    sumdb: 'sum.golang.org',
    source_action: 'ACCEPTED DOWNLOAD',
    path_error: 'none',
    origin: { topic: 'modtrail.proxy', partition: 3, offset: '1042' },
  },
};

describe('policyView', () => {
  it('leaves out the raw text, the ids and times of receipt, the Kafka origin and free text', () => {
    const view = policyView(record) as Record<string, Record<string, unknown>>;
    for (const key of ['ecs', 'user_agent', 'trace', 'message']) expect(view).not.toHaveProperty(key);
    for (const key of ['id', 'ingested', 'original']) expect(view.event).not.toHaveProperty(key);
    expect(view.url).not.toHaveProperty('original');
    expect(view.modtrail).not.toHaveProperty('origin');
  });

  it('keeps every field a rule may judge, unchanged', () => {
    const { ecs: _ecs, user_agent: _ua, trace: _trace, message: _message, ...kept } = record;
    const { id: _id, ingested: _ingested, original: _original, ...event } = record.event;
    const { origin: _origin, ...modtrail } = record.modtrail ?? {};
    expect(policyView(record)).toEqual({ ...kept, event, url: { path: record.url?.path }, modtrail });
  });

  it('passes on fields it does not know, so a new field reaches the policy without a change here', () => {
    const extended = { ...record, future: { flag: true }, event: { ...record.event, reason: 'new' } } as AuditRecord;
    const view = policyView(extended) as Record<string, Record<string, unknown>>;
    expect(view.future).toEqual({ flag: true });
    expect(view.event?.reason).toBe('new');
  });

  it('copies rather than changes the record, and copes with a record that has only the skeleton', () => {
    const before = structuredClone(record);
    policyView(record);
    expect(record).toEqual(before);
    const bare = { '@timestamp': record['@timestamp'], ecs: record.ecs, event: record.event, observer: record.observer };
    expect(policyView(bare)).toEqual({
      '@timestamp': record['@timestamp'],
      event: policyView(record).event,
      observer: record.observer,
    });
  });

  it('makes a typical proxy record markedly smaller as JSON', () => {
    expect(JSON.stringify(policyView(record)).length).toBeLessThan(JSON.stringify(record).length * 0.8);
  });
});
