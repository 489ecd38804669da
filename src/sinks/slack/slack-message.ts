import type { Alert } from '../../core/component.js';
import { fitPieces, recordLink, summarizeAlert, truncate } from '../alert-summary.js';

/** Block Kit limits (docs.slack.dev/reference/block-kit): what Slack refuses with `invalid_blocks` when exceeded. */
export const slackLimits = {
  headerText: 150,
  sectionFields: 10,
  sectionFieldText: 2000,
  textObject: 3000,
  buttonText: 75,
  buttonUrl: 3000,
  blocks: 50,
} as const;

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** mrkdwn for record text: `&`, `<`, `>` become entities, so `<!channel>` or `<https://evil|docs>` stay literal. */
export const escapeMrkdwn = (text: string): string => text.replace(/[&<>]/g, (character) => entities[character]!);

/** Escaped mrkdwn of at most `max` characters; an entity is never cut in half. */
export const fitMrkdwn = (text: string, max: number): string => fitPieces(Array.from(text, escapeMrkdwn), max);

// verbatim: no automatic linking of URLs, #channel names or @mentions in what a record says.
const mrkdwn = (text: string): { type: 'mrkdwn'; text: string; verbatim: true } => ({ type: 'mrkdwn', text, verbatim: true });

export interface SlackMessageOptions {
  recordUrlTemplate?: string;
}

/** The incoming-webhook body for one alert: a header, the facts as fields, the record and bundle, a button. */
export function slackMessage(alert: Alert, options: SlackMessageOptions = {}): object {
  const summary = summarizeAlert(alert);
  const suffix = ` (${summary.severityWord})`;
  const fields = summary.facts.slice(0, slackLimits.sectionFields).map((fact) => {
    const label = `*${escapeMrkdwn(fact.label)}*\n`;
    return mrkdwn(label + fitMrkdwn(fact.value, slackLimits.sectionFieldText - label.length));
  });
  const blocks: object[] = [
    // plain_text is never parsed for mentions or links, so the (policy-authored) title needs no escaping.
    { type: 'header', text: { type: 'plain_text', text: truncate(summary.title, slackLimits.headerText - suffix.length) + suffix } },
    { type: 'section', fields },
    { type: 'context', elements: [mrkdwn(fitMrkdwn(`Record ${summary.recordId} · bundle ${summary.revision}`, slackLimits.textObject))] },
  ];
  const link = recordLink(options.recordUrlTemplate, summary.recordId);
  if (link && link.length <= slackLimits.buttonUrl) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open record' }, url: link, action_id: 'open_record' }],
    });
  }
  const module = summary.facts.find((fact) => fact.name === 'module' || fact.name === 'setting');
  const fallback = `${summary.title}${suffix}${module ? `: ${module.value}` : ''}`;
  // `text` is what notifications and screen readers show; it is mrkdwn too, so it is escaped like the fields.
  return { text: fitMrkdwn(fallback, slackLimits.textObject), blocks: blocks.slice(0, slackLimits.blocks) };
}
