import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { storeConfigSchema } from './index-lifecycle-config.js';

describe('store configuration', () => {
  it('defaults: lifecycle on, a week of grace, a year of retention, nothing deleted', () => {
    expect(storeConfigSchema.parse(undefined)).toEqual({
      appendOnly: false,
      lifecycle: { enabled: true, writeBlockAfterDays: 7, intervalMinutes: 60 },
      retention: { days: 365, deleteExpired: false, recordTimeoutSeconds: 300 },
    });
  });

  it('refuses a retention that could delete a day still open to replays', () => {
    const result = storeConfigSchema.safeParse({ lifecycle: { writeBlockAfterDays: 14 }, retention: { days: 14 } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['retention', 'days']);
  });

  it('reads the MODTRAIL_STORE_* variables', () => {
    const config = loadConfig({ MODTRAIL_STORE_RETENTION_DAYS: '90', MODTRAIL_STORE_RETENTION_DELETE_EXPIRED: 'true', MODTRAIL_STORE_WRITE_BLOCK_AFTER_DAYS: '3' });
    expect(config.store.retention).toEqual({ days: 90, deleteExpired: true, recordTimeoutSeconds: 300 });
    expect(config.store.lifecycle.writeBlockAfterDays).toBe(3);
  });
});
