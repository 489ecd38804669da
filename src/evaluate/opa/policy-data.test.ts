import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModtrailError } from '../../core/errors.js';
import { loadPolicyData, parsePolicyData, ruleIds } from './policy-data.js';

const shipped = fileURLToPath(new URL('../../../policies/data/default.json', import.meta.url));
const fixturesDir = fileURLToPath(new URL('../../../policies/fixtures/', import.meta.url));

const valid = {
  allowed_modules: ['golang.org/x'],
  denied_modules: [],
  private_modules: ['*.corp.example.com'],
  approved_goproxy: ['https://goproxy.corp.example.com'],
  approved_gosumdb: ['sum.golang.org'],
};

function refusal(value: unknown): ModtrailError {
  try {
    parsePolicyData(value);
  } catch (error) {
    if (error instanceof ModtrailError) return error;
    throw error;
  }
  throw new Error('expected the data to be refused');
}

describe('parsePolicyData', () => {
  it('accepts the five lists and keeps further keys', () => {
    expect(parsePolicyData({ ...valid, later_rule: { threshold: 3 } })).toEqual({ ...valid, later_rule: { threshold: 3 } });
  });

  it('names an empty pattern by its index', () => {
    const error = refusal({ ...valid, allowed_modules: ['golang.org/x', 'github.com/acme-corp', ''] });
    expect(error.code).toBe('policy.data_invalid');
    expect(error.message).toBe('policy data: allowed_modules[2] must be a non-empty string');
  });

  it('names a pattern that is not a string', () => {
    expect(refusal({ ...valid, approved_gosumdb: [42] }).message).toBe('policy data: approved_gosumdb[0] must be a non-empty string');
  });

  it('names a missing key', () => {
    const { denied_modules: _, ...missing } = valid;
    expect(refusal(missing).message).toBe('policy data: denied_modules is required (an array of patterns)');
    const { approved_gosumdb: __, ...noSumdb } = valid;
    expect(refusal(noSumdb).message).toBe('policy data: approved_gosumdb is required (an array of strings)');
  });

  it('names a key that is not a list', () => {
    expect(refusal({ ...valid, private_modules: '*.corp.example.com' }).message).toBe(
      'policy data: private_modules must be an array of non-empty strings',
    );
  });

  it('reports every problem at once', () => {
    const message = refusal({ ...valid, allowed_modules: null, approved_goproxy: [''] }).message;
    expect(message).toContain('allowed_modules must be an array of non-empty strings');
    expect(message).toContain('approved_goproxy[0] must be a non-empty string');
  });

  it('refuses a document that is not an object', () => {
    expect(refusal(['golang.org/x']).message).toBe('policy data: must be a JSON object');
  });
});

describe('parsePolicyData: denied_modules', () => {
  const denied = (entries: unknown[]) => ({ ...valid, denied_modules: entries });

  it('accepts pattern strings and objects with versions, below or both', () => {
    const entries = [
      'github.com/evil-corp/backdoor',
      { pattern: 'golang.org/x/crypto', below: 'v0.17.0' },
      { pattern: 'github.com/acme-corp/billing', versions: ['v1.4.0', 'v1.4.1-rc.1', 'v2.0.0+incompatible'] },
      { pattern: 'golang.org/x/net', below: 'v0.17.0', versions: ['v0.0.0-20231010163308-9d2ee975ef9f'] },
    ];
    expect(parsePolicyData(denied(entries)).denied_modules).toEqual(entries);
  });

  it('names a bound that is not a Go version', () => {
    expect(refusal(denied(['x', { pattern: 'golang.org/x/crypto', below: '0.17.0' }])).message).toBe(
      'policy data: denied_modules[1].below must be a Go version such as v1.4.0',
    );
    expect(refusal(denied([{ pattern: 'a', below: 17 }])).message).toBe('policy data: denied_modules[0].below must be a Go version such as v1.4.0');
  });

  it('names each version that is not a Go version', () => {
    const message = refusal(denied([{ pattern: 'a', versions: ['v1.2.3', 'v1.2', '1.2.3', 'v01.2.3'] }])).message;
    expect(message).toBe(
      'policy data: denied_modules[0].versions[1] must be a Go version such as v1.2.3; ' +
        'denied_modules[0].versions[2] must be a Go version such as v1.2.3; denied_modules[0].versions[3] must be a Go version such as v1.2.3',
    );
  });

  it('refuses versions that are not a non-empty list', () => {
    expect(refusal(denied([{ pattern: 'a', versions: 'v1.0.0' }])).message).toBe(
      'policy data: denied_modules[0].versions must be an array of Go versions such as v1.2.3',
    );
    expect(refusal(denied([{ pattern: 'a', versions: [] }])).message).toBe('policy data: denied_modules[0].versions must list at least one version');
  });

  it('refuses an object that names no versions, so a plain string is the one way to deny every version', () => {
    expect(refusal(denied([{ pattern: 'github.com/dgrijalva/jwt-go' }])).message).toBe(
      'policy data: denied_modules[0] must name versions or below (a plain pattern string denies every version)',
    );
  });

  it('names a missing or empty pattern and an unknown key', () => {
    expect(refusal(denied([{ below: 'v1.0.0' }])).message).toBe('policy data: denied_modules[0].pattern is required (a module path pattern)');
    expect(refusal(denied([{ pattern: '', below: 'v1.0.0' }])).message).toBe('policy data: denied_modules[0].pattern must be a non-empty string');
    expect(refusal(denied([{ pattern: 'a', version: 'v1.0.0', below: 'v1.0.0' }])).message).toBe(
      'policy data: denied_modules[0] has an unknown key "version" (allowed: pattern, versions, below)',
    );
  });

  it('refuses entries that are neither a string nor an object', () => {
    expect(refusal(denied(['ok', 42, null, ['a'], ''])).message).toBe(
      'policy data: denied_modules[1] must be a pattern string or an object {"pattern", "versions", "below"}; ' +
        'denied_modules[2] must be a pattern string or an object {"pattern", "versions", "below"}; ' +
        'denied_modules[3] must be a pattern string or an object {"pattern", "versions", "below"}; ' +
        'denied_modules[4] must be a non-empty string',
    );
  });
});

describe('parsePolicyData: optional keys', () => {
  it('accepts every optional key', () => {
    const data = {
      ...valid,
      public_repositories: ['go-remote'],
      public_hosts: ['github.com', 'go.opentelemetry.io', 'k8s.io'],
      goproxy_allow_direct: true,
      managed_hosts: ['DEV-WS-*'],
      severities: { 'module.denied': 4, 'action.login_denied': 1 },
    };
    expect(parsePolicyData(data)).toEqual(data);
  });

  it('names each problem by its key', () => {
    const message = refusal({
      ...valid,
      public_repositories: 'go-remote',
      public_hosts: ['github.com', 'GitHub.com', 'github.com/acme', '*.com'],
      goproxy_allow_direct: 'yes',
      managed_hosts: ['DEV-WS-*', ''],
    }).message;
    expect(message).toBe(
      'policy data: public_repositories must be an array of non-empty strings; ' +
        'public_hosts[1] must be a host name such as github.com; public_hosts[2] must be a host name such as github.com; ' +
        'public_hosts[3] must be a host name such as github.com; goproxy_allow_direct must be true or false; ' +
        'managed_hosts[1] must be a non-empty string',
    );
  });

  it('checks severities: known rule ids, integers from 1 to 5', () => {
    const message = refusal({ ...valid, severities: { 'module.deny': 3, 'module.denied': 7, 'goenv.insecure': 2.5, 'action.sensitive': '3' } }).message;
    expect(message).toContain(`severities["module.deny"] is not a rule id (one of ${ruleIds.join(', ')})`);
    expect(message).toContain('severities["module.denied"] must be an integer from 1 (informational) to 5 (critical)');
    expect(message).toContain('severities["goenv.insecure"] must be an integer from 1 (informational) to 5 (critical)');
    expect(message).toContain('severities["action.sensitive"] must be an integer from 1 (informational) to 5 (critical)');
    expect(refusal({ ...valid, severities: [3] }).message).toBe('policy data: severities must be an object of rule id → severity 1..5');
  });

  it('refuses direct as an approved proxy and off as an approved checksum database', () => {
    expect(refusal({ ...valid, approved_goproxy: ['https://goproxy.corp.example.com', ' direct'], approved_gosumdb: ['off'] }).message).toBe(
      'policy data: approved_goproxy[1] cannot be direct: allow it with goproxy_allow_direct: true; ' +
        'approved_gosumdb[0] cannot be off: that disables checksum verification',
    );
  });
});

describe('ruleIds', () => {
  it('names exactly the rules the shipped fixtures exercise', () => {
    const expected = new Set<string>();
    for (const file of readdirSync(fixturesDir).filter((name) => name.endsWith('.json'))) {
      const fixtures = JSON.parse(readFileSync(join(fixturesDir, file), 'utf8')) as { expected: string[] }[];
      for (const fixture of fixtures) for (const id of fixture.expected) expected.add(id);
    }
    expect([...expected].sort()).toEqual([...ruleIds].sort());
  });
});

describe('loadPolicyData', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'modtrail-policy-data-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('loads the shipped default data: the five required keys and every optional one', async () => {
    const data = await loadPolicyData(shipped);
    expect(Object.keys(data).sort()).toEqual([
      'allowed_modules',
      'approved_goproxy',
      'approved_gosumdb',
      'denied_modules',
      'goproxy_allow_direct',
      'managed_hosts',
      'private_modules',
      'public_hosts',
      'public_repositories',
      'severities',
    ]);
    expect(data.allowed_modules).toContain('golang.org/x');
    expect(data.denied_modules).toContainEqual({ pattern: 'golang.org/x/crypto', below: 'v0.17.0' });
    expect(data.private_modules).toEqual(['*.corp.example.com']);
    expect(data.goproxy_allow_direct).toBe(false);
    expect(JSON.parse(await readFile(shipped, 'utf8'))).toEqual(data);
  });

  it('refuses a file that is not JSON as invalid data', async () => {
    const file = join(scratch, 'broken.json');
    await writeFile(file, '{"allowed_modules": [');
    await expect(loadPolicyData(file)).rejects.toMatchObject({ code: 'policy.data_invalid', message: /broken\.json is not valid JSON/ });
  });

  it('refuses a file it cannot read as a load failure', async () => {
    await expect(loadPolicyData(join(scratch, 'absent.json'))).rejects.toMatchObject({ code: 'policy.load_failed' });
  });
});
