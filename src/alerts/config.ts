import { z } from 'zod';
import { pagerDutyConfigSchema } from '../sinks/pagerduty/config.js';
import { slackConfigSchema } from '../sinks/slack/config.js';
import { teamsConfigSchema } from '../sinks/teams/config.js';
import { webhookConfigSchema } from '../sinks/webhook/config.js';

/** Sink names are object keys in the alert's `delivery` field and metric labels: keep them plain. */
const sinkName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower case letters, digits, - or _ (at most 63)');

/** An extra named sink, so one kind can serve several teams (two Slack channels, two webhooks). */
const namedSinkSchema = z.discriminatedUnion('type', [
  webhookConfigSchema.unwrap().extend({ type: z.literal('webhook'), url: z.url() }),
  slackConfigSchema.unwrap().extend({ type: z.literal('slack'), url: z.url({ protocol: /^https?$/ }) }),
  teamsConfigSchema.unwrap().extend({ type: z.literal('teams'), url: z.url({ protocol: /^https?$/ }) }),
  pagerDutyConfigSchema.unwrap().extend({
    type: z.literal('pagerduty'),
    routingKey: z.string().length(32, 'must be the 32-character integration key of an Events API v2 integration'),
  }),
]);

export const fingerprintFields = ['rule', 'module', 'user', 'host'] as const;
export type FingerprintField = (typeof fingerprintFields)[number];

const routeSchema = z.strictObject({
  name: z.string().min(1),
  /** Configured sink names: `webhook`, `slack`, `teams`, `pagerduty` (the single sinks) or a key of `alerts.sinks`. */
  sinks: z.array(sinkName).min(1),
  minSeverity: z.number().int().min(1).max(5).default(1),
  /** Matches when the alert carries any of these rule ids. */
  ruleIds: z.array(z.string().min(1)).optional(),
  /** Matches when any matched rule has any of these tags (alerts.ruleTags, plus each rule id's family: `module`, `goenv`, `action`). */
  tags: z.array(z.string().min(1)).optional(),
  /** Matches when the record's module path starts with any of these prefixes (`github.com/acme/`). */
  modulePrefixes: z.array(z.string().min(1)).optional(),
  /** Matches when the record's host is in any of these groups (alerts.hostGroups). */
  hostGroups: z.array(z.string().min(1)).optional(),
});

export type RouteConfig = z.infer<typeof routeSchema>;

export const alertsConfigSchema = z
  .strictObject({
    webhook: webhookConfigSchema,
    slack: slackConfigSchema,
    teams: teamsConfigSchema,
    pagerduty: pagerDutyConfigSchema,
    sinks: z.record(sinkName, namedSinkSchema).default({}),
    /** Without routes every configured sink gets every alert (the behaviour before routing existed). */
    routes: z.array(routeSchema).default([]),
    /** Where an alert that matches no route goes; without it such an alert is stored but sent nowhere. */
    defaultRoute: z.strictObject({ sinks: z.array(sinkName).min(1) }).optional(),
    /** Host groups: group name → host name patterns (`*` matches any run of characters; case-insensitive). */
    hostGroups: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
    /** Tags of rule ids, for routes that select by tag; the policy data carries none today. */
    ruleTags: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
    grouping: z
      .strictObject({
        /** Which record fields, with the rule ids, make an alert's fingerprint. */
        by: z.array(z.enum(fingerprintFields)).min(1).default([...fingerprintFields]),
        /** Later alerts with the same fingerprint within this window go out as one summary at its end; 0 turns grouping off. */
        windowSeconds: z.number().int().min(0).default(300),
      })
      .prefault({}),
    throttle: z
      .strictObject({
        /** Notifications per sink per minute; what is over is held back and sent as one summary when the minute ends. */
        perMinute: z.number().int().positive().default(30),
        /** Per-sink limits that replace `perMinute`. */
        sinks: z.record(sinkName, z.number().int().positive()).default({}),
      })
      .prefault({}),
    resolve: z
      .strictObject({
        /** PagerDuty: send `resolve` when no alert with the fingerprint was raised for this long; 0 never resolves. */
        afterMinutes: z.number().min(0).default(0),
      })
      .prefault({}),
    outbox: z
      .strictObject({
        /** Notifications in flight per sink. */
        concurrency: z.number().int().positive().default(4),
        /** How often windows, throttles and resolves are checked. */
        tickMs: z.number().int().positive().default(1000),
        /** How long a notification is retried before it is marked failed. */
        maxElapsedSeconds: z.number().int().positive().default(600),
      })
      .prefault({}),
  })
  .superRefine((alerts, context) => {
    const known = new Set(configuredSinks(alerts).map((sink) => sink.name));
    for (const legacy of ['webhook', 'slack', 'teams', 'pagerduty'] as const) {
      if (alerts.sinks[legacy]) context.addIssue({ code: 'custom', path: ['sinks', legacy], message: `"${legacy}" is the name of alerts.${legacy}; choose another` });
    }
    const check = (names: readonly string[], path: (string | number)[]): void =>
      names.forEach((name, index) => {
        if (!known.has(name)) context.addIssue({ code: 'custom', path: [...path, index], message: `no configured sink is named "${name}"` });
      });
    alerts.routes.forEach((route, index) => {
      check(route.sinks, ['routes', index, 'sinks']);
      for (const group of route.hostGroups ?? []) {
        if (!alerts.hostGroups[group]) context.addIssue({ code: 'custom', path: ['routes', index, 'hostGroups'], message: `no host group "${group}" in alerts.hostGroups` });
      }
    });
    if (alerts.defaultRoute) check(alerts.defaultRoute.sinks, ['defaultRoute', 'sinks']);
    for (const name of Object.keys(alerts.throttle.sinks)) {
      if (!known.has(name)) context.addIssue({ code: 'custom', path: ['throttle', 'sinks', name], message: `no configured sink is named "${name}"` });
    }
  })
  .prefault({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type NamedSinkConfig = z.infer<typeof namedSinkSchema>;

/** Every sink the configuration turns on, by name: the single sinks under their kind's name, then `alerts.sinks`. */
export function configuredSinks(alerts: Pick<AlertsConfig, 'webhook' | 'slack' | 'teams' | 'pagerduty' | 'sinks'>): { name: string; config: NamedSinkConfig }[] {
  const sinks: { name: string; config: NamedSinkConfig }[] = [];
  const { webhook, slack, teams, pagerduty } = alerts;
  if (webhook.url) sinks.push({ name: 'webhook', config: { ...webhook, type: 'webhook', url: webhook.url } });
  if (slack.url) sinks.push({ name: 'slack', config: { ...slack, type: 'slack', url: slack.url } });
  if (teams.url) sinks.push({ name: 'teams', config: { ...teams, type: 'teams', url: teams.url } });
  if (pagerduty.routingKey) sinks.push({ name: 'pagerduty', config: { ...pagerduty, type: 'pagerduty', routingKey: pagerduty.routingKey } });
  for (const [name, config] of Object.entries(alerts.sinks)) sinks.push({ name, config });
  return sinks;
}
