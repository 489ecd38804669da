import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModtrailError } from '../../core/errors.js';
import { loadPolicyData, parsePolicyData } from './policy-data.js';

const shipped = fileURLToPath(new URL('../../../policies/data/default.json', import.meta.url));

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
    expect(refusal(missing).message).toBe('policy data: denied_modules is required (an array of strings)');
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

describe('loadPolicyData', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'modtrail-policy-data-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('loads the shipped default data with exactly the five keys', async () => {
    const data = await loadPolicyData(shipped);
    expect(Object.keys(data).sort()).toEqual(['allowed_modules', 'approved_goproxy', 'approved_gosumdb', 'denied_modules', 'private_modules']);
    expect(data.allowed_modules).toContain('golang.org/x');
    expect(data.private_modules).toEqual(['*.corp.example.com']);
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
