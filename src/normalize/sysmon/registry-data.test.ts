import { describe, expect, it } from 'vitest';
import { registryData } from './registry-data.js';

describe('registryData', () => {
  it.each([
    ['https://proxy.corp.example.com,direct', { strings: ['https://proxy.corp.example.com,direct'] }],
    ['(Empty)', { strings: [''] }],
    ['DWORD (0x00000004)', { strings: ['4'], type: 'REG_DWORD' }],
    ['DWORD (0xffffffff)', { strings: ['4294967295'], type: 'REG_DWORD' }],
    ['QWORD (0x00000000-0x00000005)', { strings: ['5'], type: 'REG_QWORD' }],
    ['QWORD (0x00000001-0x00000000)', { strings: ['4294967296'], type: 'REG_QWORD' }],
    ['QWORD (0xffffffff-0xffffffff)', { strings: ['18446744073709551615'], type: 'REG_QWORD' }],
    ['Binary Data', { type: 'REG_BINARY' }],
    // Anything else is the string that was written, however much it looks like a rendering.
    ['DWORD (4)', { strings: ['DWORD (4)'] }],
    ['', { strings: [''] }],
  ])('reads %j', (details, expected) => {
    expect(registryData(details)).toEqual(expected);
  });
});
