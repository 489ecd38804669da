import { describe, expect, it } from 'vitest';
import { digestOf } from '../../alerts/digest.js';
import { athensAlert } from '../../../test/support/sample-alert.js';
import { digestEvent } from '../pagerduty/pagerduty-event.js';
import { teamsDigest } from '../teams/teams-digest.js';
import { slackDigest } from './slack-digest.js';

const hostile = athensAlert({ package: { name: 'github.com/x/<!channel>', type: 'golang' } }, { rule: { id: ['module.not_allowlisted'], name: ['Module [outside](https://evil.example)'], version: 'r' } });
const digest = digestOf('throttled', [hostile, hostile]);

describe('summary messages', () => {
  it('Slack: a header with the count, rule lines and the latest facts, record text escaped', () => {
    const message = slackDigest(digest) as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[] };
    expect(message.text).toBe('held back 2 alerts: module.not_allowlisted ×2');
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context', 'section']);
    expect(message.blocks[0]!.text!.text).toBe('2 alerts held back (up to medium)');
    expect(message.blocks[1]!.text!.text).toBe('• Module [outside](https://evil.example) (`module.not_allowlisted`) ×2');
    expect(JSON.stringify(message)).toContain('github.com/x/&lt;!channel&gt;');
    expect(JSON.stringify(message)).not.toContain('<!channel>');
  });

  it('Teams: an Adaptive Card whose text cannot open links', () => {
    const card = (teamsDigest(digest) as { attachments: { content: { body: { text?: string }[] } }[] }).attachments[0]!.content;
    expect(card.body[0]!.text).toBe('held back 2 alerts: module.not_allowlisted ×2');
    expect(JSON.stringify(card)).not.toMatch(/\[outside\]/);
  });

  it('PagerDuty: grouped repeats join the alert their fingerprint opened; a throttled batch gets its own key', () => {
    const grouped = digestOf('grouped', [hostile], { total: 2, fingerprint: 'fp-1' });
    expect(digestEvent(grouped, 'K'.repeat(32), 'ntf_x')).toMatchObject({ event_action: 'trigger', dedup_key: 'fp-1', payload: { severity: 'warning', class: 'modtrail.summary' } });
    expect(digestEvent(digest, 'K'.repeat(32), 'ntf_x')).toMatchObject({ dedup_key: 'ntf_x', payload: { summary: 'held back 2 alerts: module.not_allowlisted ×2' } });
  });
});
