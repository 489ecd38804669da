import { describe, expect, it } from 'vitest';
import { stripAnsi } from './terminal-colour.js';

describe('stripAnsi', () => {
  it('removes colour sequences and leaves the text', () => {
    expect(stripAnsi('\u001b[32m200\u001b[0m')).toBe('200');
    expect(stripAnsi('\u001b[1;91m500\u001b[0m ok')).toBe('500 ok');
    expect(stripAnsi('plain [text]')).toBe('plain [text]');
  });
});
