import { describe, expect, it } from 'vitest';
import { newClusterId } from './kafka.js';

describe('newClusterId', () => {
  it('makes 22-character base64url ids that never start with "-" (the storage tool would read one as an option)', () => {
    // One plain base64url id in 64 starts with "-": among 2,000, at least one would, all but certainly.
    const ids = Array.from({ length: 2000 }, newClusterId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
