import { describe, expect, it } from 'vitest';
import type { Alert } from '../core/component.js';
import { artifactoryAlert, athensAlert } from '../../test/support/sample-alert.js';
import { alertsConfigSchema } from './config.js';
import { Router } from './router.js';

const config = alertsConfigSchema.parse({
  webhook: { url: 'http://127.0.0.1:1/hook' },
  sinks: {
    'slack-platform': { type: 'slack', url: 'http://127.0.0.1:1/platform' },
    'slack-security': { type: 'slack', url: 'http://127.0.0.1:1/security' },
    'pd-oncall': { type: 'pagerduty', routingKey: 'R'.repeat(32) },
  },
  hostGroups: { 'dev-machines': ['DEV-*'], 'build-farm': ['ci-*', 'build-*'] },
  ruleTags: { 'module.not_allowlisted': ['supply-chain'] },
  routes: [
    { name: 'security', sinks: ['slack-security'], tags: ['supply-chain'] },
    { name: 'critical', sinks: ['pd-oncall', 'slack-security'], minSeverity: 5 },
    { name: 'platform', sinks: ['slack-platform'], modulePrefixes: ['github.com/acme/'], hostGroups: ['dev-machines'] },
    { name: 'goenv', sinks: ['webhook'], ruleIds: ['goenv.insecure'] },
  ],
});

const routed = (router: Router, alert: Alert): Record<string, string[]> =>
  Object.fromEntries(router.route(alert).map(({ sink, routes }) => [sink, routes]));

describe('Router', () => {
  const router = new Router(config, ['webhook', 'slack-platform', 'slack-security', 'pd-oncall']);

  it('matches by tag (configured or the rule family) and by minimum severity, each sink once', () => {
    expect(routed(router, artifactoryAlert)).toEqual({ 'slack-security': ['security'] });
    expect(routed(router, { ...artifactoryAlert, severity: 5 })).toEqual({ 'slack-security': ['security', 'critical'], 'pd-oncall': ['critical'] });
    expect(router.tagsOf('goenv.insecure')).toEqual(['goenv']);
    expect(router.tagsOf('module.not_allowlisted')).toEqual(['module', 'supply-chain']);
  });

  it('needs every criterion a route names: module prefix and host group together', () => {
    const acme = (host: string | undefined): Alert =>
      athensAlert({ package: { name: 'github.com/acme/lib', type: 'golang' }, ...(host ? { host: { name: host } } : {}) }, { rule: { id: ['action.sensitive'], name: [''], version: 'r' } });
    expect(routed(router, acme('dev-0042'))).toEqual({ 'slack-platform': ['platform'] });
    expect(routed(router, acme('ci-7'))).toEqual({});
    expect(routed(router, acme(undefined))).toEqual({});
    expect(router.hostGroupsOf('build-12')).toEqual(['build-farm']);
    expect(router.hostGroupsOf('xbuild-1')).toEqual([]);
    expect(router.hostGroupsOf('ci.x')).toEqual([]);
  });

  it('matches by rule id', () => {
    expect(routed(router, athensAlert({}, { rule: { id: ['goenv.insecure'], name: ['x'], version: 'r' } }))).toEqual({ webhook: ['goenv'] });
  });

  it('sends what matches nothing to the default route, or nowhere without one', () => {
    const lonely = athensAlert({}, { rule: { id: ['action.login_denied'], name: [''], version: 'r' } });
    expect(router.route(lonely)).toEqual([]);
    const withDefault = new Router({ ...config, defaultRoute: { sinks: ['webhook'] } }, ['webhook']);
    expect(withDefault.route(lonely)).toEqual([{ sink: 'webhook', routes: ['default'] }]);
  });

  it('sends every alert to every sink when no routes are configured', () => {
    const open = new Router({ ...config, routes: [] }, ['webhook', 'slack-platform']);
    expect(open.route(athensAlert())).toEqual([
      { sink: 'webhook', routes: ['all'] },
      { sink: 'slack-platform', routes: ['all'] },
    ]);
  });
});

describe('alerts configuration', () => {
  it('keeps the simple single-sink settings valid', () => {
    const simple = alertsConfigSchema.parse({ webhook: { url: 'https://hooks.example/modtrail', secret: 'whsec_abc' } });
    expect(simple.webhook.url).toBe('https://hooks.example/modtrail');
    expect(simple.routes).toEqual([]);
    expect(simple.grouping).toEqual({ by: ['rule', 'module', 'user', 'host'], windowSeconds: 300 });
  });

  it('refuses routes that name a sink or host group nobody configured, with the key path', () => {
    const result = alertsConfigSchema.safeParse({
      slack: { url: 'https://hooks.slack.com/services/T/B/X' },
      routes: [{ name: 'r', sinks: ['slack', 'teams-missing'], hostGroups: ['nope'] }],
      defaultRoute: { sinks: ['ghost'] },
      throttle: { sinks: { phantom: 3 } },
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues).toEqual([
      'routes.0.sinks.1: no configured sink is named "teams-missing"',
      'routes.0.hostGroups: no host group "nope" in alerts.hostGroups',
      'defaultRoute.sinks.0: no configured sink is named "ghost"',
      'throttle.sinks.phantom: no configured sink is named "phantom"',
    ]);
  });

  it('refuses unknown keys and a named sink without its endpoint', () => {
    expect(alertsConfigSchema.safeParse({ routes: [{ name: 'r', sinks: ['webhook'], colour: 'red' }] }).success).toBe(false);
    expect(alertsConfigSchema.safeParse({ sinks: { two: { type: 'slack' } } }).success).toBe(false);
    expect(alertsConfigSchema.safeParse({ sinks: { slack: { type: 'slack', url: 'https://x.example/' } } }).success).toBe(false);
  });
});
