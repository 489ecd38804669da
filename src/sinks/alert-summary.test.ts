import { describe, expect, it } from 'vitest';
import type { Alert } from '../core/component.js';
import { ecsVersion, type AuditRecord } from '../core/record.js';
import { displayText, fitPieces, recordLink, recordUrlTemplateSchema, severityLevel, severityWord, summarizeAlert, truncate } from './alert-summary.js';

const record: AuditRecord = {
  '@timestamp': '2026-11-24T07:59:58.000Z',
  ecs: { version: ecsVersion },
  event: { id: 'e1', kind: 'event', category: ['web'], type: ['access'], action: 'module.zip', outcome: 'success', dataset: 'artifactory.request', ingested: '2026-11-24T08:00:01.000Z', original: 'raw' },
  observer: { vendor: 'JFrog', product: 'Artifactory', type: 'proxy', name: 'rt-eu-1' },
  user: { name: 'jdoe' },
  source: { ip: '10.1.2.3' },
  package: { name: 'github.com/evil-corp/backdoor', version: 'v1.2.3', type: 'golang' },
};

const alert = (changes: Partial<Alert> = {}, recordChanges: Partial<AuditRecord> = {}): Alert => ({
  id: 'a'.repeat(40),
  '@timestamp': '2026-11-24T08:00:00.000Z',
  rule: { id: ['module.not_allowlisted'], name: ['Module outside the allowlist'], version: 'sha256-abc' },
  severity: 3,
  fingerprint: 'f'.repeat(40),
  record: { ...record, ...recordChanges },
  ...changes,
});

describe('summarizeAlert', () => {
  it('lists the facts every message shows, in reading order, with the record time', () => {
    expect(summarizeAlert(alert())).toEqual({
      title: 'Module outside the allowlist',
      severity: 3,
      severityWord: 'medium',
      ruleIds: ['module.not_allowlisted'],
      facts: [
        { name: 'rule', label: 'Rule', value: 'module.not_allowlisted' },
        { name: 'severity', label: 'Severity', value: '3 medium' },
        { name: 'module', label: 'Module', value: 'github.com/evil-corp/backdoor@v1.2.3' },
        { name: 'user', label: 'User', value: 'jdoe' },
        { name: 'host', label: 'Client', value: '10.1.2.3' },
        { name: 'observer', label: 'Proxy', value: 'rt-eu-1 (Artifactory)' },
        { name: 'time', label: 'Time', value: '2026-11-24T07:59:58.000Z' },
      ],
      recordId: 'e1',
      revision: 'sha256-abc',
      timestamp: '2026-11-24T07:59:58.000Z',
      module: 'github.com/evil-corp/backdoor',
      dataset: 'artifactory.request',
      source: 'rt-eu-1',
    });
  });

  it('leaves out what the record does not have and names an agent event by its setting and host', () => {
    const summary = summarizeAlert(
      alert(
        { rule: { id: ['goenv.goproxy_changed', 'goenv.unmanaged'], name: ['GOPROXY changed'], version: 'r2' }, severity: 5 },
        {
          observer: { product: 'modtrail-agent', type: 'agent' },
          user: undefined,
          source: undefined,
          package: undefined,
          host: { name: 'DEV-0042' },
          goenv: { name: 'GOPROXY', value: 'https://evil.example' },
        },
      ),
    );
    expect(summary.title).toBe('GOPROXY changed, goenv.unmanaged');
    expect(summary.facts.map((fact) => `${fact.label}: ${fact.value}`)).toEqual([
      'Rule: goenv.goproxy_changed, goenv.unmanaged',
      'Severity: 5 critical',
      'Setting: GOPROXY=https://evil.example',
      'Host: DEV-0042',
      'Observer: modtrail-agent',
      'Time: 2026-11-24T07:59:58.000Z',
    ]);
    expect(summary.module).toBeUndefined();
    expect(summary.source).toBe('modtrail-agent');
  });

  it('keeps record text on one line and makes bidi controls visible', () => {
    const summary = summarizeAlert(alert({}, { user: { name: 'eve\n*Severity*\n1 info' }, package: { name: 'github.com/a/\u202Egnp.exe', type: 'golang' } }));
    expect(summary.facts.find((fact) => fact.name === 'user')!.value).toBe('eve *Severity* 1 info');
    expect(summary.facts.find((fact) => fact.name === 'module')!.value).toBe('github.com/a/\uFFFDgnp.exe');
    expect(displayText('\t a\r\nb\u2028c \u0000')).toBe('a b c');
  });
});

describe('severity', () => {
  it('maps the OCSF scale to words and pulls anything outside it to the nearest end', () => {
    expect([1, 2, 3, 4, 5].map(severityWord)).toEqual(['info', 'low', 'medium', 'high', 'critical']);
    expect([0, -3, 6, 3.6, Number.NaN].map(severityLevel)).toEqual([1, 1, 5, 4, 1]);
  });
});

describe('truncate', () => {
  it('leaves text that fits and cuts the rest to the limit with an ellipsis', () => {
    expect(truncate('short', 5)).toBe('short');
    expect(truncate('abcdefgh', 5)).toBe('abcd…');
    expect(truncate('abcdefgh', 5)).toHaveLength(5);
  });

  it('never splits a surrogate pair or a piece such as an entity', () => {
    const cut = truncate('😀'.repeat(10), 6);
    expect(cut).toBe('😀😀…');
    expect(fitPieces(['a', '&amp;', '&amp;'], 9)).toBe('a&amp;…');
    expect(fitPieces(['&amp;', 'b'], 3)).toBe('…');
  });
});

describe('record links', () => {
  it('accepts an http(s) template with {id} and fills in the encoded record id', () => {
    expect(recordUrlTemplateSchema.safeParse('https://modtrail.example/v1/records/{id}').success).toBe(true);
    expect(recordUrlTemplateSchema.safeParse('https://modtrail.example/v1/records/').error?.issues[0]?.message).toBe('must contain {id}');
    expect(recordUrlTemplateSchema.safeParse('javascript:alert({id})').error?.issues[0]?.message).toBe('must be an http or https URL');
    expect(recordLink('https://modtrail.example/v1/records/{id}', 'a/b c')).toBe('https://modtrail.example/v1/records/a%2Fb%20c');
    expect(recordLink(undefined, 'e1')).toBeUndefined();
  });
});
