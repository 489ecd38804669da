import { describe, expect, it } from 'vitest';
import { minimalRecord } from '../../test/support/sample-record.js';
import { csvCell, csvColumns, csvHeader, csvRow } from './csv.js';

describe('csv', () => {
  it('quotes per RFC 4180 only when a cell holds a quote, comma or line break', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(4)).toBe('4');
  });

  it('defuses cells that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1+2')).toBe("'+1+2");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('writes the fixed columns in order, CRLF-terminated', () => {
    expect(csvHeader()).toBe(`${csvColumns.map((c) => c.name).join(',')}\r\n`);
    const record = {
      ...minimalRecord,
      user: { name: '=cmd|calc' },
      rule: { id: ['module.denied', 'goenv.insecure'], name: [], ruleset: 'r', version: 'v' },
      modtrail: { origin: { topic: 't', partition: 2, offset: '17' } },
    };
    const cells = csvRow(record).slice(0, -2).split(',');
    expect(cells).toHaveLength(csvColumns.length);
    expect(cells[csvColumns.findIndex((c) => c.name === 'user.name')]).toBe("'=cmd|calc");
    expect(cells[csvColumns.findIndex((c) => c.name === 'rule.id')]).toBe('module.denied;goenv.insecure');
    expect(cells[csvColumns.findIndex((c) => c.name === 'modtrail.origin')]).toBe('t/2/17');
    expect(cells[0]).toBe(minimalRecord['@timestamp']);
  });
});
