import { digestHeadline, type Digest } from '../../delivery/notification.js';
import { displayText, severityLevel, summarizeAlert, truncate } from '../alert-summary.js';
import { adaptiveCardVersion, neutraliseLinks, severityColour, teamsLimits } from './teams-message.js';

const cardText = (text: string, max: number): string => truncate(neutraliseLinks(displayText(text)), max);

/** The Workflows webhook body for a summary: the headline, one fact per rule, the latest alert's facts. */
export function teamsDigest(digest: Digest): object {
  const latest = summarizeAlert(digest.latest);
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: adaptiveCardVersion,
    body: [
      {
        type: 'TextBlock',
        text: cardText(digestHeadline(digest), teamsLimits.title),
        weight: 'bolder',
        size: 'medium',
        color: severityColour(severityLevel(digest.maxSeverity)),
        wrap: true,
      },
      { type: 'FactSet', facts: digest.rules.slice(0, 20).map((rule) => ({ title: cardText(rule.id, teamsLimits.title), value: `×${rule.count}` })) },
      { type: 'TextBlock', text: cardText(`Latest of them, ${digest.firstAt} to ${digest.lastAt}:`, teamsLimits.context), size: 'small', isSubtle: true, wrap: true },
      { type: 'FactSet', facts: latest.facts.map((fact) => ({ title: fact.label, value: cardText(fact.value, teamsLimits.factValue) })) },
    ],
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}
