import { describe, expect, it } from 'vitest';
import { recordClauses } from './record-query.js';

describe('recordClauses', () => {
  it('turns each typed filter into a term or range clause holding the value as data', () => {
    const sneaky = '"}},{"match_all":{}},{"x":"*';
    const clauses = recordClauses({
      user: sneaky,
      module: 'golang.org/x/crypto',
      actions: ['module.zip', 'module.mod'],
      minSeverity: 3,
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-12-01T00:00:00Z'),
    });
    expect(clauses).toEqual([
      { term: { 'user.name': { value: sneaky } } },
      { term: { 'package.name': { value: 'golang.org/x/crypto' } } },
      { terms: { 'event.action': ['module.zip', 'module.mod'] } },
      { range: { 'event.severity': { gte: 3 } } },
      { range: { '@timestamp': { gte: '2026-11-01T00:00:00.000Z', lt: '2026-12-01T00:00:00.000Z' } } },
    ]);
    // Nothing that parses query syntax or runs a script is ever produced.
    expect(JSON.stringify(clauses)).not.toMatch(/query_string|simple_query_string|script|wildcard|regexp/);
  });

  it('adds nothing for an empty filter', () => {
    expect(recordClauses({})).toEqual([]);
  });
});
