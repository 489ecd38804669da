// docs/AGENT-EVENTS.md is the contract agent authors read: every JSON example in it must be an event this parser accepts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contextFor, expectValidRecord } from '../testdata-runner.js';
import { settingMechanisms, settingScopes } from './agent-event.js';
import { agentParser } from './parser.js';

const doc = readFileSync(new URL('../../../docs/AGENT-EVENTS.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

describe('docs/AGENT-EVENTS.md examples', () => {
  it.each(examples.map((example, i) => [i + 1, example] as const))('example %i is accepted', (_n, example) => {
    const context = contextFor(new Date('2024-06-01T08:00:00Z'));
    const result = agentParser.parse(example, context);
    expect(result.ok ? '' : result.rejection.reason).toBe('');
    if (result.ok) expectValidRecord(result.record, example, context);
  });

  it('shows every mechanism and every scope', () => {
    const events = examples.map((example) => JSON.parse(example) as { mechanism: string; scope: string });
    expect(new Set(events.map((event) => event.mechanism))).toEqual(new Set(settingMechanisms));
    expect(new Set(events.map((event) => event.scope))).toEqual(new Set(settingScopes));
  });
});
