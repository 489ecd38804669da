import { describe, expect, it } from 'vitest';
import { opaConfigSchema } from './config.js';

describe('opaConfigSchema', () => {
  it('defaults both paths, also when the section is absent', () => {
    const defaults = { bundleDir: 'policies/bundle', dataFile: 'policies/data/default.json', watch: true };
    expect(opaConfigSchema.parse({})).toEqual(defaults);
    expect(opaConfigSchema.parse(undefined)).toEqual(defaults);
  });

  it('keeps given paths', () => {
    expect(opaConfigSchema.parse({ dataFile: '/etc/modtrail/policy.json' })).toEqual({
      bundleDir: 'policies/bundle',
      dataFile: '/etc/modtrail/policy.json',
      watch: true,
    });
  });

  it('refuses unknown keys and empty paths', () => {
    expect(opaConfigSchema.safeParse({ bundle: 'x' }).success).toBe(false);
    expect(opaConfigSchema.safeParse({ bundleDir: '' }).success).toBe(false);
  });
});
