import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsVersion, type AuditRecord } from '../../core/record.js';
import { OpaEvaluator } from '../../evaluate/opa/opa-evaluator.js';
import { currentSettings, deviations } from './current-settings.js';

let n = 0;
function goenvRecord(time: string, action: string, goenv: AuditRecord['goenv']): AuditRecord {
  n++;
  return {
    '@timestamp': time,
    ecs: { version: ecsVersion },
    event: { id: String(n).padStart(40, '0'), kind: 'event', category: ['configuration'], type: ['change'], action, outcome: 'success', dataset: 'agent.goenv', ingested: time, original: '' },
    observer: { product: 'modtrail-agent', type: 'agent' },
    host: { name: 'DEV-1' },
    goenv,
  };
}

describe('currentSettings', () => {
  it('takes the newest word on each setting, and lets a user-scope snapshot settle the rest (absent = unset)', () => {
    const newestFirst = [
      goenvRecord('2026-11-24T10:00:00.000Z', 'goenv.changed', { name: 'GOSUMDB', value: 'off' }),
      goenvRecord('2026-11-24T09:00:00.000Z', 'goenv.unset', { name: 'GOPRIVATE' }),
      goenvRecord('2026-11-24T08:00:00.000Z', 'goenv.changed', { name: 'GOSUMDB', value: 'sum.golang.org' }),
      goenvRecord('2026-11-24T07:00:00.000Z', 'goenv.snapshot', { scope: 'machine', settings: { GOFLAGS: '-mod=mod' } }),
      goenvRecord('2026-11-23T07:00:00.000Z', 'goenv.snapshot', { scope: 'user', settings: { GOPROXY: 'https://goproxy.corp.example.com', GOPRIVATE: '*.corp.example.com' } }),
      goenvRecord('2026-11-22T07:00:00.000Z', 'goenv.changed', { name: 'GOINSECURE', value: '*' }),
    ];
    const current = currentSettings(newestFirst);
    const byName = Object.fromEntries(current.map((s) => [s.name, s]));
    expect(byName.GOSUMDB).toMatchObject({ value: 'off', since: '2026-11-24T10:00:00.000Z' });
    expect(byName.GOPRIVATE).toEqual({ name: 'GOPRIVATE', since: '2026-11-24T09:00:00.000Z', recordId: newestFirst[1]!.event.id });
    expect(byName.GOFLAGS).toMatchObject({ value: '-mod=mod' });
    expect(byName.GOPROXY).toMatchObject({ value: 'https://goproxy.corp.example.com' });
    // The full snapshot says GOINSECURE was unset then; the older change before it no longer counts.
    expect(byName.GOINSECURE).toMatchObject({ since: '2026-11-23T07:00:00.000Z' });
    expect(byName.GOINSECURE!.value).toBeUndefined();
    expect(current).toHaveLength(8);
  });

  it('knows nothing about settings no record mentioned', () => {
    expect(currentSettings([goenvRecord('2026-11-24T10:00:00.000Z', 'goenv.changed', { name: 'GOPROXY', value: 'direct' })]).map((s) => s.name)).toEqual(['GOPROXY']);
  });
});

describe('deviations (judged by the real policy bundle and default data)', () => {
  const evaluator = new OpaEvaluator({ bundleDir: 'policies/bundle', dataFile: 'policies/data/default.json' });
  beforeAll(() => evaluator.start());
  afterAll(() => evaluator.stop());

  it('flags the settings that break the baseline and only those', async () => {
    const current = currentSettings([
      goenvRecord('2026-11-24T10:00:00.000Z', 'goenv.changed', { name: 'GOSUMDB', value: 'off' }),
      goenvRecord('2026-11-24T09:00:00.000Z', 'goenv.changed', { name: 'GOPROXY', value: 'https://goproxy.corp.example.com' }),
      goenvRecord('2026-11-24T08:00:00.000Z', 'goenv.changed', { name: 'GOINSECURE', value: 'github.com/*' }),
      goenvRecord('2026-11-24T07:00:00.000Z', 'goenv.changed', { name: 'GOPRIVATE', value: '*.corp.example.com' }),
    ]);
    const found = await deviations('DEV-1', current, (records) => evaluator.evaluate(records));
    expect(found).toEqual([
      { name: 'GOSUMDB', value: 'off', rules: ['goenv.gosumdb_disabled'] },
      { name: 'GOINSECURE', value: 'github.com/*', rules: ['goenv.insecure'] },
    ]);
  });

  it('flags an unset GOPROXY (the public default proxy is not approved)', async () => {
    const current = currentSettings([goenvRecord('2026-11-24T10:00:00.000Z', 'goenv.unset', { name: 'GOPROXY' })]);
    expect(await deviations('DEV-1', current, (records) => evaluator.evaluate(records))).toEqual([{ name: 'GOPROXY', rules: ['goenv.goproxy_unapproved'] }]);
  });
});
