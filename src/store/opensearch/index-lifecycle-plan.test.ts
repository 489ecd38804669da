import { describe, expect, it } from 'vitest';
import { parseManagedIndex, planLifecycle } from './index-lifecycle-plan.js';

const options = { writeBlockAfterDays: 7, retentionDays: 30 };
const index = (name: string, writeBlocked = false) => parseManagedIndex('mt', name, writeBlocked)!;

describe('parseManagedIndex', () => {
  it("recognises only modtrail's own daily indices of this prefix", () => {
    expect(parseManagedIndex('mt', 'mt-audit-2026.11.01', false)).toMatchObject({ kind: 'audit', day: new Date('2026-11-01T00:00:00Z') });
    expect(parseManagedIndex('mt', 'mt-alerts-2026.11.01', true)).toMatchObject({ kind: 'alerts', writeBlocked: true });
    for (const name of [
      'mt-seals-000001', // the one seals index: never blocked, never deleted
      'mt-notes-2026.11.01', // not a kind modtrail writes
      'mt-audit-2026.11.01-restored', // a copy someone made
      'mt-x-audit-2026.11.01', // another deployment with prefix mt-x
      'mtx-audit-2026.11.01',
      'other-audit-2026.11.01',
      'mt-audit-2026.02.30', // no such day
      'mt-audit-2026.13.01',
      'mt-audit-26.11.01',
    ]) {
      expect(parseManagedIndex('mt', name, false), name).toBeUndefined();
    }
  });
});

describe('planLifecycle', () => {
  it('write-blocks a day only once its grace period after the end of the day is over', () => {
    const indices = [index('mt-audit-2026.11.10'), index('mt-audit-2026.11.16'), index('mt-audit-2026.11.17')];
    // 2026-11-10 ended at 11-11T00:00; + 7 days = 11-18T00:00.
    expect(planLifecycle(indices, new Date('2026-11-17T23:59:59Z'), options).writeBlock).toEqual([]);
    expect(planLifecycle(indices, new Date('2026-11-18T00:00:00Z'), options).writeBlock).toEqual(['mt-audit-2026.11.10']);
    expect(planLifecycle(indices, new Date('2026-11-24T00:00:00Z'), options).writeBlock).toEqual(['mt-audit-2026.11.10', 'mt-audit-2026.11.16']);
  });

  it('does not block again what is already blocked', () => {
    expect(planLifecycle([index('mt-audit-2026.01.01', true)], new Date('2026-11-24T00:00:00Z'), options).writeBlock).toEqual([]);
  });

  it('lists indices past retention, oldest first, blocked or not', () => {
    const indices = [index('mt-alerts-2026.10.20'), index('mt-audit-2026.09.01', true), index('mt-audit-2026.10.25')];
    // 10.20 ended 10-21; + 30 days = 11-20. 10.25 ended 10-26; + 30 = 11-25.
    expect(planLifecycle(indices, new Date('2026-11-24T00:00:00Z'), options).expired).toEqual(['mt-audit-2026.09.01', 'mt-alerts-2026.10.20']);
  });
});
