import type { Alert } from '../core/component.js';
import type { AlertsConfig, RouteConfig } from './config.js';

/** Where one alert goes: each sink once, with the routes that chose it. */
export interface RoutedSink {
  sink: string;
  routes: string[];
}

/** The route name used when no routes are configured and every sink gets every alert. */
export const allSinksRoute = 'all';
/** The route name of alerts.defaultRoute. */
export const defaultRouteName = 'default';

type RouterConfig = Pick<AlertsConfig, 'routes' | 'defaultRoute' | 'hostGroups' | 'ruleTags'>;

/**
 * Chooses the sinks for an alert. A route matches when every criterion it names holds (any value of a list
 * suffices); an alert may match several routes. With no routes at all every sink gets every alert.
 */
export class Router {
  private readonly groups: Map<string, RegExp[]>;

  constructor(
    private readonly config: RouterConfig,
    private readonly allSinks: readonly string[],
  ) {
    this.groups = new Map(Object.entries(config.hostGroups).map(([group, patterns]) => [group, patterns.map(hostPattern)]));
  }

  route(alert: Alert): RoutedSink[] {
    if (this.config.routes.length === 0) return this.allSinks.map((sink) => ({ sink, routes: [allSinksRoute] }));
    const chosen = new Map<string, string[]>();
    for (const route of this.config.routes) {
      if (!this.matches(route, alert)) continue;
      for (const sink of route.sinks) chosen.set(sink, [...(chosen.get(sink) ?? []), route.name]);
    }
    if (chosen.size === 0 && this.config.defaultRoute) {
      for (const sink of this.config.defaultRoute.sinks) chosen.set(sink, [defaultRouteName]);
    }
    return [...chosen].map(([sink, routes]) => ({ sink, routes: [...new Set(routes)] }));
  }

  /** A rule's tags: the configured ones and its family (the part of its id before the first dot). */
  tagsOf(ruleId: string): string[] {
    const family = ruleId.includes('.') ? [ruleId.slice(0, ruleId.indexOf('.'))] : [];
    return [...family, ...(this.config.ruleTags[ruleId] ?? [])];
  }

  hostGroupsOf(host: string): string[] {
    return [...this.groups].filter(([, patterns]) => patterns.some((pattern) => pattern.test(host))).map(([group]) => group);
  }

  private matches(route: RouteConfig, alert: Alert): boolean {
    if (alert.severity < route.minSeverity) return false;
    if (route.ruleIds && !alert.rule.id.some((id) => route.ruleIds!.includes(id))) return false;
    if (route.tags && !alert.rule.id.flatMap((id) => this.tagsOf(id)).some((tag) => route.tags!.includes(tag))) return false;
    const module = alert.record.package?.name;
    if (route.modulePrefixes && (module === undefined || !route.modulePrefixes.some((prefix) => module.startsWith(prefix)))) return false;
    const host = alert.record.host?.name;
    if (route.hostGroups && (host === undefined || !this.hostGroupsOf(host).some((group) => route.hostGroups!.includes(group)))) return false;
    return true;
  }
}

/** `ci-*` → /^ci-.*$/i: only `*` is special, everything else is literal. */
function hostPattern(pattern: string): RegExp {
  const literal = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('.*')}$`, 'i');
}
