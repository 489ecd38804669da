import { describe, expect, it } from 'vitest';
import type { AuditRecord, Decision } from '../../core/record.js';
import { applyDecision } from './apply-decision.js';

const record: AuditRecord = {
  '@timestamp': '2025-11-24T10:00:00.000Z',
  ecs: { version: '8.17.0' },
  event: {
    id: 'evt-1',
    kind: 'event',
    category: ['package'],
    type: ['access'],
    action: 'module.zip',
    outcome: 'success',
    dataset: 'athens.access',
    ingested: '2025-11-24T10:00:01.000Z',
    original: 'GET /github.com/evil-corp/backdoor/@v/v1.0.0.zip 200',
  },
  observer: { product: 'athens', type: 'proxy' },
  package: { name: 'github.com/evil-corp/backdoor', version: 'v1.0.0', type: 'golang' },
  modtrail: { repository: 'go-remote' },
};

const decision: Decision = {
  ids: ['module.not_allowlisted'],
  names: ['Module outside the allowlist'],
  severity: 3,
  riskScore: 47,
  alert: true,
  revision: 'sha256-0123456789ab',
};

describe('applyDecision', () => {
  it('adds the rule, severity, risk score and alert flag', () => {
    const judged = applyDecision(record, decision);
    expect(judged.rule).toEqual({
      id: ['module.not_allowlisted'],
      name: ['Module outside the allowlist'],
      ruleset: 'modtrail',
      version: 'sha256-0123456789ab',
    });
    expect(judged.event).toEqual({ ...record.event, severity: 3, risk_score: 47 });
    expect(judged.modtrail).toEqual({ repository: 'go-remote', alert: true });
    expect(judged.package).toEqual(record.package);
  });

  it('leaves the original record untouched', () => {
    const before = structuredClone(record);
    const judged = applyDecision(record, decision);
    judged.rule?.id.push('mutated');
    expect(record).toEqual(before);
    expect(decision.ids).toEqual(['module.not_allowlisted']);
  });

  it("shares a frozen decision's lists, which nobody can change, and copies a changeable one's", () => {
    const frozen = Object.freeze({ ...decision, ids: Object.freeze([...decision.ids]) as string[], names: Object.freeze([...decision.names]) as string[] });
    expect(applyDecision(record, frozen).rule?.id).toBe(frozen.ids);
    expect(applyDecision(record, decision).rule?.id).not.toBe(decision.ids);
  });

  it('records a clean verdict too, so every stored record says which bundle judged it', () => {
    const judged = applyDecision(record, { ...decision, ids: [], names: [], severity: 1, riskScore: 0, alert: false });
    expect(judged.rule).toEqual({ id: [], name: [], ruleset: 'modtrail', version: 'sha256-0123456789ab' });
    expect(judged.modtrail?.alert).toBe(false);
    expect(judged.event.severity).toBe(1);
  });
});
