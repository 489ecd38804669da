import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/component.js';
import { athensAlert as alert } from '../../../test/support/sample-alert.js';
import { neutraliseLinks, severityColour, teamsLimits, teamsMessage } from './teams-message.js';

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
