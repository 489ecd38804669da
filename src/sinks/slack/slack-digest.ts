import { digestHeadline, type Digest } from '../../delivery/notification.js';
import { displayText, severityWord, summarizeAlert, truncate } from '../alert-summary.js';
import { escapeMrkdwn, fitMrkdwn, slackLimits } from './slack-message.js';

const mrkdwn = (text: string): { type: 'mrkdwn'; text: string; verbatim: true } => ({ type: 'mrkdwn', text, verbatim: true });

/** The incoming-webhook body for a summary: a header with the count, one line per rule, the latest alert's facts, the span. */
export function slackDigest(digest: Digest): object {
  const latest = summarizeAlert(digest.latest);
  const headline = displayText(digestHeadline(digest));
  const title = digest.reason === 'grouped' ? `${digest.count} more: ${latest.title}` : `${digest.count} alerts held back`;
  const suffix = ` (up to ${severityWord(digest.maxSeverity)})`;
  const rules = digest.rules.slice(0, 20).map((rule) => `• ${escapeMrkdwn(displayText(rule.name))} (\`${escapeMrkdwn(rule.id)}\`) ×${rule.count}`);
  const facts = latest.facts.slice(0, slackLimits.sectionFields).map((fact) => {
    const label = `*${escapeMrkdwn(fact.label)}*\n`;
    return mrkdwn(label + fitMrkdwn(fact.value, slackLimits.sectionFieldText - label.length));
  });
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(displayText(title), slackLimits.headerText - suffix.length) + suffix } },
    { type: 'section', text: mrkdwn(truncate(rules.join('\n'), slackLimits.textObject)) },
    { type: 'context', elements: [mrkdwn(fitMrkdwn(`Latest of them, ${digest.firstAt} to ${digest.lastAt}:`, slackLimits.textObject))] },
    { type: 'section', fields: facts },
  ];
  return { text: fitMrkdwn(headline, slackLimits.textObject), blocks };
}
