import { describe, expect, it } from 'vitest';
import { withoutLineBreak } from './line-break.js';

describe('withoutLineBreak', () => {
  it('removes what /\\r?\\n?$/ removes, and nothing else', () => {
    const parts = ['', 'a', '\r', '\n', '\r\n', '\n\r', '\r\r', '\n\n', ' '];
    for (const a of parts) {
      for (const b of parts) {
        for (const c of parts) {
          const text = a + b + c;
          expect(withoutLineBreak(text)).toBe(text.replace(/\r?\n?$/, ''));
        }
      }
    }
  });
});
