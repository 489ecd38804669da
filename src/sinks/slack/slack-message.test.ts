import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/component.js';
import { athensAlert as alert } from '../../../test/support/sample-alert.js';
import { escapeMrkdwn, fitMrkdwn, slackLimits, slackMessage } from './slack-message.js';

interface Message {
  text: string;
  blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text?: unknown }[] }[];
}
const message = (value: Alert, template?: string): Message => slackMessage(value, { recordUrlTemplate: template }) as Message;
/** Every mrkdwn string Slack parses for links and mentions. */
const mrkdwnTexts = (built: Message): string[] => [
  built.text,
  ...built.blocks.flatMap((block) => [...(block.fields ?? []), ...(block.type === 'context' ? (block.elements as { text: string }[]) : [])].map((item) => item.text)),
];

describe('slackMessage', () => {
  it('leaves the actions block out without a record URL template', () => {
    const built = message(alert());
    expect(built.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context']);
  });

  it('escapes record text so it cannot mention a channel, a user or open a disguised link', () => {
    const built = message(
      alert({
        package: { name: '<!channel> <https://evil.example|docs> & <@U0123>', version: 'v0.0.0-<!here>', type: 'golang' },
        user: { name: '<!subteam^S0>' },
        host: { name: 'a>b' },
        observer: { product: 'athens', type: 'proxy', name: '<#C0>' },
      }),
    );
    const texts = mrkdwnTexts(built);
    for (const text of texts) expect(text.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/[<>&]/);
    expect(texts.join('\n')).toContain('&lt;!channel&gt; &lt;https://evil.example|docs&gt; &amp; &lt;@U0123&gt;@v0.0.0-&lt;!here&gt;');
    expect(built.text).toBe('Module outside the allowlist (medium): &lt;!channel&gt; &lt;https://evil.example|docs&gt; &amp; &lt;@U0123&gt;@v0.0.0-&lt;!here&gt;');
    expect(built.blocks[1]!.fields!.map((field) => field.text)).toContain('*User*\n&lt;!subteam^S0&gt;');
  });

  it('turns line breaks in record text into spaces, so a value cannot forge another fact', () => {
    const built = message(alert({ user: { name: 'eve\n*Severity*\n1 info' } }));
    expect(built.blocks[1]!.fields!.map((field) => field.text)).toContain('*User*\neve *Severity* 1 info');
  });

  it('keeps within Block Kit limits, cutting with an ellipsis and never through an entity', () => {
    const built = message(
      alert({ package: { name: `github.com/${'&'.repeat(3000)}`, type: 'golang' }, user: { name: 'u'.repeat(5000) } }, {
        rule: { id: ['r'], name: ['N'.repeat(400)], version: 'x'.repeat(4000) },
      }),
      'https://modtrail.example/v1/records/{id}',
    );
    const header = built.blocks[0]!.text!.text;
    expect(header).toHaveLength(slackLimits.headerText);
    expect(header.endsWith('… (medium)')).toBe(true);
    const fields = built.blocks[1]!.fields!.map((field) => field.text);
    expect(fields.length).toBeLessThanOrEqual(slackLimits.sectionFields);
    for (const field of fields) expect(field.length).toBeLessThanOrEqual(slackLimits.sectionFieldText);
    const module = fields.find((field) => field.startsWith('*Module*'))!;
    expect(module.endsWith('&amp;…')).toBe(true);
    expect(fields.find((field) => field.startsWith('*User*'))).toHaveLength(slackLimits.sectionFieldText);
    const context = (built.blocks[2]!.elements![0]!.text as string);
    expect(context).toHaveLength(slackLimits.textObject);
    expect(built.text.length).toBeLessThanOrEqual(slackLimits.textObject);
    expect(built.blocks.length).toBeLessThanOrEqual(slackLimits.blocks);
  });

  it('escapes only &, < and >', () => {
    expect(escapeMrkdwn('a&b<c>d *e* _f_')).toBe('a&amp;b&lt;c&gt;d *e* _f_');
    expect(fitMrkdwn('<<<<', 9)).toBe('&lt;&lt;…');
  });
});
