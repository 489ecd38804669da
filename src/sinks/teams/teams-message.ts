import type { Alert } from '../../core/component.js';
import { recordLink, summarizeAlert, truncate, type SeverityLevel } from '../alert-summary.js';

// Workflows accept Adaptive Cards only: the MessageCard format (`@type: MessageCard`, `themeColor`, `sections`)
// of the retired Office 365 connectors is not understood by the "When a Teams webhook request is received" trigger.

/** Teams renders Adaptive Cards up to 1.5; everything used here exists since 1.0, so 1.4 leaves room for older clients. */
export const adaptiveCardVersion = '1.4';

// Teams refuses messages over about 28 KB; these keep a card far below it whatever a record carries.
export const teamsLimits = { title: 300, factValue: 1000, context: 500 } as const;

/**
 * Adaptive Card TextBlock and FactSet text is a Markdown subset whose only active syntax that matters here is the
 * link, `[text](url)` (also reference links `[text][ref]` and images `![alt](url)`): all of them need ASCII brackets.
 * Record text gets fullwidth brackets (U+FF3B, U+FF3D) instead of backslash escapes, because Teams clients handle
 * backslash escapes inconsistently (desktop drops the backslash, mobile shows it) while a fullwidth bracket can never
 * open a link in any renderer and still reads as a bracket. A bare URL stays visible as the URL it points to.
 */
export const neutraliseLinks = (text: string): string => text.replaceAll('[', '\uFF3B').replaceAll(']', '\uFF3D');

const cardText = (text: string, max: number): string => truncate(neutraliseLinks(text), max);

export const severityColour = (severity: SeverityLevel): 'attention' | 'warning' | 'default' =>
  severity >= 4 ? 'attention' : severity === 3 ? 'warning' : 'default';

export interface TeamsMessageOptions {
  recordUrlTemplate?: string;
}

/** The Workflows webhook body for one alert: a message with one Adaptive Card (title, facts, record, link). */
export function teamsMessage(alert: Alert, options: TeamsMessageOptions = {}): object {
  const summary = summarizeAlert(alert);
  const card: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: adaptiveCardVersion,
    body: [
      {
        type: 'TextBlock',
        text: cardText(`${summary.title} (${summary.severityWord})`, teamsLimits.title),
        weight: 'bolder',
        size: 'medium',
        color: severityColour(summary.severity),
        wrap: true,
      },
      { type: 'FactSet', facts: summary.facts.map((fact) => ({ title: fact.label, value: cardText(fact.value, teamsLimits.factValue) })) },
      {
        type: 'TextBlock',
        text: cardText(`Record ${summary.recordId} · bundle ${summary.revision}`, teamsLimits.context),
        size: 'small',
        isSubtle: true,
        wrap: true,
      },
    ],
  };
  const link = recordLink(options.recordUrlTemplate, summary.recordId);
  if (link) card.actions = [{ type: 'Action.OpenUrl', title: 'Open record', url: link }];
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}
