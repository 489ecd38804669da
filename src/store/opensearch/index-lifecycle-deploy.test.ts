// The ISM policy and security roles in deploy/opensearch, checked against the built-in lifecycle they mirror.
// They were not applied to a live cluster here (no index-management plugin on Maven Central): see deploy/README.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { storeConfigSchema } from './index-lifecycle-config.js';
import { managedKinds, parseManagedIndex } from './index-lifecycle-plan.js';

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../../deploy/opensearch/${path}`, import.meta.url), 'utf8'));

interface IsmState {
  name: string;
  actions: Record<string, unknown>[];
  transitions: { state_name: string; conditions?: { min_index_age?: string } }[];
}
interface Role {
  description: string;
  cluster_permissions: string[];
  index_permissions: { index_patterns: string[]; allowed_actions: string[] }[];
}

const policy = (read('ism-policy.json') as { policy: { default_state: string; states: IsmState[]; ism_template: { index_patterns: string[] }[] } }).policy;
const roles = read('security/roles.json') as Record<string, Role>;
const mapping = read('security/roles_mapping.json') as Record<string, { users: string[]; backend_roles: string[] }>;
const defaults = storeConfigSchema.parse(undefined);
const ourPatterns = managedKinds.map((kind) => `modtrail-${kind}-*`);

describe('deploy/opensearch/ism-policy.json', () => {
  const state = (name: string): IsmState => policy.states.find((s) => s.name === name)!;

  it('is a closed state machine: the default and every transition target exist, and the last state deletes', () => {
    const names = policy.states.map((s) => s.name);
    expect(names).toContain(policy.default_state);
    for (const s of policy.states) for (const t of s.transitions) expect(names).toContain(t.state_name);
    expect(policy.states.at(-1)!.actions).toEqual([{ delete: {} }]);
  });

  it('write-blocks, then deletes, at the ages the built-in defaults use (one day for the day itself, plus the setting)', () => {
    expect(state('open').transitions).toEqual([{ state_name: 'write_blocked', conditions: { min_index_age: `${defaults.lifecycle.writeBlockAfterDays + 1}d` } }]);
    expect(state('write_blocked').actions).toEqual([{ read_only: {} }]);
    expect(state('write_blocked').transitions).toEqual([{ state_name: 'expired', conditions: { min_index_age: `${defaults.retention.days + 1}d` } }]);
  });

  it("applies to modtrail's daily kinds and never to the seals index", () => {
    expect(policy.ism_template.flatMap((t) => t.index_patterns).sort()).toEqual([...ourPatterns].sort());
    expect(parseManagedIndex('modtrail', 'modtrail-seals-000001', false)).toBeUndefined();
  });
});

describe('deploy/opensearch/security', () => {
  const actions = (role: Role): string[] => [...role.cluster_permissions, ...role.index_permissions.flatMap((p) => p.allowed_actions)];
  // Permissions and action groups that would let a role change or remove documents.
  const mutating = /^(\*|indices:\*|indices:data\/\*|indices:data\/write\*|indices:data\/write\/(update|delete)|write|crud|index|delete|data_access|indices_all|unlimited)/;

  it('names every action in a known shape: an action path or a default action group', () => {
    const groups = ['read', 'cluster_composite_ops_ro'];
    for (const role of Object.values(roles)) {
      for (const action of actions(role)) expect(groups.includes(action) || /^(indices|cluster):[a-z_]+(\/[a-z_*[\]]+)+$/.test(action), action).toBe(true);
    }
  });

  it('gives the writer bulk create on every kind of modtrail index, nothing that updates or deletes audit records, and no delete at all', () => {
    const writer = roles.modtrail_writer!;
    expect(writer.index_permissions.flatMap((p) => p.index_patterns).sort()).toEqual([...ourPatterns, 'modtrail-seals-*', 'modtrail-outbox'].sort());
    expect(actions(writer)).toEqual(expect.arrayContaining(['indices:data/write/bulk', 'indices:data/write/bulk*', 'indices:data/write/index', 'indices:admin/create']));
    const evidence = writer.index_permissions.filter((p) => p.index_patterns.some((pattern) => /-(audit|deadletters|findings|seals)-/.test(pattern)));
    expect(evidence.flatMap((p) => p.index_patterns).sort()).toEqual(['modtrail-audit-*', 'modtrail-deadletters-*', 'modtrail-findings-*', 'modtrail-seals-*']);
    for (const action of evidence.flatMap((p) => p.allowed_actions)) expect(action, action).not.toMatch(mutating);
    // Alerts carry their delivery status, updated in place by the outbox: update, but still no delete.
    for (const action of actions(writer)) expect(action, action).not.toMatch(/delete|^(\*|indices:\*|indices:data\/write\*|write|crud|data_access|indices_all|unlimited|manage)$/);
    expect(actions(writer).some((a) => a.startsWith('indices:admin/') && !['indices:admin/create', 'indices:admin/get', 'indices:admin/refresh*'].includes(a))).toBe(false);
  });

  it('lets readers only read', () => {
    for (const action of actions(roles.modtrail_reader!)) {
      expect(action, action).not.toMatch(mutating);
      expect(action, action).not.toMatch(/^indices:(data\/write|admin\/(?!aliases\/get))/);
    }
  });

  it('keeps index deletion to the lifecycle role, away from the seals index', () => {
    const holders = Object.entries(roles).filter(([, role]) => actions(role).includes('indices:admin/delete')).map(([name]) => name);
    expect(holders).toEqual(['modtrail_lifecycle']);
    expect(roles.modtrail_lifecycle!.index_permissions.flatMap((p) => p.index_patterns).sort()).toEqual([...ourPatterns].sort());
  });

  it('maps exactly the roles it defines', () => {
    expect(Object.keys(mapping).sort()).toEqual(Object.keys(roles).sort());
  });
});
