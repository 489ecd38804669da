/**
 * The audit record: ECS field names as nested objects (https://www.elastic.co/guide/en/ecs/current/).
 * Fields outside ECS live under `goenv` (Go settings) and `modtrail` (the service's own facts).
 */
export const ecsVersion = '8.17.0';

export type EventOutcome = 'success' | 'failure' | 'unknown';

/** What the policy engine concluded about one record. */
export interface Decision {
  /** Every matched rule id; empty when none matched. */
  ids: string[];
  names: string[];
  /** 1 informational … 5 critical (OCSF severity scale); 1 when nothing matched. */
  severity: number;
  riskScore: number;
  alert: boolean;
  /** The bundle revision that judged the record. */
  revision: string;
}

export interface AuditRecord {
  '@timestamp': string;
  ecs: { version: string };
  event: {
    id: string;
    kind: 'event' | 'alert';
    category: string[];
    type: string[];
    action: string;
    outcome: EventOutcome;
    dataset: string;
    module?: string;
    ingested: string;
    original: string;
    duration?: number;
    severity?: number;
    risk_score?: number;
    hash?: string;
  };
  observer: { vendor?: string; product: string; type: string; name?: string; hostname?: string };
  user?: { name: string; domain?: string; id?: string };
  source?: { ip?: string; address?: string };
  host?: { name: string; ip?: string[]; os?: { type?: string } };
  /** The collector that reported the event (a developer-machine agent, Winlogbeat). */
  agent?: { id?: string; name?: string; type?: string; version?: string };
  http?: {
    request?: { method?: string; bytes?: number };
    response?: { status_code?: number; body?: { bytes?: number } };
  };
  url?: { path: string; original?: string };
  user_agent?: { original: string };
  trace?: { id: string };
  package?: { name: string; version?: string; type: 'golang' };
  process?: { executable: string; pid?: number; name?: string };
  /** Windows registry value events (Sysmon event 13). */
  registry?: { hive?: string; key?: string; path: string; value?: string; data?: { strings?: string[]; type?: string } };
  log?: { level?: string; logger?: string };
  message?: string;
  rule?: { id: string[]; name: string[]; ruleset: string; version: string };
  /** Go settings on a developer machine: one setting's change (name, value…), or a snapshot of all (settings). */
  goenv?: {
    name?: string;
    value?: string;
    previous_value?: string;
    scope?: string;
    mechanism?: string;
    /** The mechanism that manages this machine's Go settings, when the agent knows it (gpo, sccm, ansible…). */
    managed_by?: string;
    /** A snapshot: every Go setting that is set, by name. */
    settings?: Record<string, string>;
    /** A snapshot: where each setting came from (machine, user, goenv_file). */
    sources?: Record<string, string>;
  };
  modtrail?: {
    /** The proxy repository (Artifactory or Nexus) that served the request. */
    repository?: string;
    /** The sum database named in a sumdb request, e.g. sum.golang.org. */
    sumdb?: string;
    /** The Artifactory access-log verdict or other source-specific classification, verbatim. */
    source_action?: string;
    /** Why a proxy path could not name a module (e.g. an invalid case escape). */
    path_error?: string;
    alert?: boolean;
    /** Where the raw event came from, so a record can be traced back to its Kafka offset. */
    origin?: { topic: string; partition: number; offset: string };
    evaluation_error?: string;
    /** The id an agent gave its event, so the agent's own logs can be matched. */
    agent_event_id?: string;
  };
}
