import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/component.js';
import { ecsVersion, type AuditRecord } from '../../core/record.js';
import { neutraliseLinks, severityColour, teamsLimits, teamsMessage } from './teams-message.js';

const alert = (recordChanges: Partial<AuditRecord> = {}, changes: Partial<Alert> = {}): Alert => ({
  id: 'a'.repeat(40),
  '@timestamp': '2026-11-24T08:00:00.000Z',
  rule: { id: ['module.not_allowlisted'], name: ['Module outside the allowlist'], version: 'sha256-abc' },
  severity: 3,
  fingerprint: 'f'.repeat(40),
  record: {
    '@timestamp': '2026-11-24T07:59:58.000Z',
    ecs: { version: ecsVersion },
    event: { id: 'e1', kind: 'event', category: ['web'], type: ['access'], action: 'module.zip', outcome: 'success', dataset: 'athens.access', ingested: '2026-11-24T08:00:01.000Z', original: 'raw' },
    observer: { product: 'athens', type: 'proxy', name: 'athens-eu-1' },
    package: { name: 'github.com/evil-corp/backdoor', version: 'v1.2.3', type: 'golang' },
    ...recordChanges,
  },
  ...changes,
});

interface Card {
  body: [{ text: string; color: string }, { facts: { title: string; value: string }[] }, { text: string }];
  actions?: unknown[];
}
const card = (value: Alert, template?: string): Card =>
  (teamsMessage(value, { recordUrlTemplate: template }) as { attachments: [{ content: Card }] }).attachments[0].content;

describe('teamsMessage', () => {
  it('colours the title by severity', () => {
    expect([1, 2, 3, 4, 5].map((severity) => card(alert({}, { severity })).body[0].color)).toEqual(['default', 'default', 'warning', 'attention', 'attention']);
    expect(severityColour(3)).toBe('warning');
  });

  it('has no actions without a record URL template', () => {
    expect(card(alert()).actions).toBeUndefined();
    expect(card(alert(), 'https://modtrail.example/r/{id}').actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open record', url: 'https://modtrail.example/r/e1' }]);
  });

  it('gives record text fullwidth brackets, so it can never form a Markdown link or image', () => {
    const built = card(
      alert({
        package: { name: '[click](http://evil.example) ![x](http://evil.example/p.png)', type: 'golang' },
        user: { name: '[admin][1]\n[1]: http://evil.example' },
      }),
    );
    const values = built.body[1].facts.map((fact) => fact.value);
    for (const value of values) expect(value).not.toMatch(/[[\]]/);
    expect(values).toContain('［click］(http://evil.example) !［x］(http://evil.example/p.png)');
    expect(values).toContain('［admin］［1］ ［1］: http://evil.example');
    expect(neutraliseLinks('a[b]c')).toBe('a［b］c');
  });

  it('cuts long text with an ellipsis', () => {
    const built = card(alert({ package: { name: 'm'.repeat(5000), type: 'golang' } }, { rule: { id: ['r'], name: ['N'.repeat(500)], version: 'v'.repeat(900) } }));
    expect(built.body[0].text).toHaveLength(teamsLimits.title);
    expect(built.body[0].text.endsWith('…')).toBe(true);
    const module = built.body[1].facts.find((fact) => fact.title === 'Module')!.value;
    expect(module).toHaveLength(teamsLimits.factValue);
    expect(module.endsWith('…')).toBe(true);
    expect(built.body[2].text).toHaveLength(teamsLimits.context);
  });
});
