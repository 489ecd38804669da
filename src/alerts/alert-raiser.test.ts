import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../core/record.js';
import { minimalRecord } from '../../test/support/sample-record.js';
import { alertFor } from './alert-raiser.js';

const judged = (changes: Partial<AuditRecord>): AuditRecord => ({
  ...minimalRecord,
  rule: { id: ['module.not_allowlisted'], name: ['Module outside the allowlist'], ruleset: 'modtrail', version: 'r1' },
  modtrail: { alert: true },
  package: { name: 'github.com/x/y', type: 'golang' },
  user: { name: 'jdoe' },
  host: { name: 'DEV-1' },
  ...changes,
});

describe('alertFor', () => {
  it('raises nothing for a record that does not alert', () => {
    expect(alertFor({ ...judged({}), modtrail: { alert: false } })).toBeUndefined();
  });

  it('makes the fingerprint of the configured fields only', () => {
    const a = judged({});
    const otherHost = judged({ host: { name: 'DEV-2' } });
    expect(alertFor(a)!.fingerprint).not.toBe(alertFor(otherHost)!.fingerprint);
    expect(alertFor(a, ['rule', 'module', 'user'])!.fingerprint).toBe(alertFor(otherHost, ['rule', 'module', 'user'])!.fingerprint);
    expect(alertFor(a, ['rule', 'module'])!.fingerprint).not.toBe(alertFor(judged({ package: { name: 'github.com/x/z', type: 'golang' } }), ['rule', 'module'])!.fingerprint);
    // Choosing a field that is absent differs from not choosing it.
    expect(alertFor(judged({ user: undefined }), ['rule', 'user'])!.fingerprint).not.toBe(alertFor(judged({ user: undefined }), ['rule'])!.fingerprint);
    expect(alertFor(a)!.id).toBe(alertFor(a, ['rule'])!.id);
  });
});
