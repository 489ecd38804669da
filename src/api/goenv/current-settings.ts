// A host's current Go settings, folded from its newest goenv records, and how they differ from the approved baseline.
import { goSettingNames, isGoSettingName, type GoSettingName } from '../../core/go-settings.js';
import { ecsVersion, type AuditRecord, type Decision } from '../../core/record.js';

export const goenvActions = ['goenv.changed', 'goenv.unset', 'goenv.snapshot'] as const;

/** The rules that judge a setting's value (policies/rego/modtrail/goenv.rego); other rules judge how it changed. */
export const settingRules = ['goenv.goproxy_unapproved', 'goenv.gosumdb_disabled', 'goenv.insecure', 'goenv.private_too_broad'];

/** Settings with a value rule: the ones a deviation can be found in. */
const judgedSettings: readonly GoSettingName[] = ['GOPROXY', 'GOSUMDB', 'GOINSECURE', 'GOFLAGS', 'GOPRIVATE', 'GONOSUMDB', 'GONOPROXY'];

// A snapshot of one scope alone does not say whether a setting it lacks is set elsewhere.
const partialScopes = new Set(['machine', 'goenv_file']);

export interface CurrentSetting {
  name: GoSettingName;
  /** Undefined: unset, so the go command uses its default. */
  value?: string;
  since: string;
  recordId: string;
}

/** Walks records newest first; the first word on each setting wins, and a full (user-scope) snapshot settles the rest. */
export function currentSettings(newestFirst: readonly AuditRecord[]): CurrentSetting[] {
  const known = new Map<GoSettingName, CurrentSetting>();
  const learn = (name: GoSettingName, value: string | undefined, record: AuditRecord) => {
    if (known.has(name)) return;
    known.set(name, { name, ...(value === undefined ? {} : { value }), since: record['@timestamp'], recordId: record.event.id });
  };
  for (const record of newestFirst) {
    const goenv = record.goenv;
    if (goenv === undefined) continue;
    const action = record.event.action;
    if ((action === 'goenv.changed' || action === 'goenv.unset') && goenv.name !== undefined && isGoSettingName(goenv.name)) {
      learn(goenv.name, action === 'goenv.unset' ? undefined : (goenv.value ?? ''), record);
    } else if (action === 'goenv.snapshot' && goenv.settings !== undefined) {
      const full = !partialScopes.has(goenv.scope ?? 'user');
      for (const name of goSettingNames) {
        const value = goenv.settings[name];
        if (value !== undefined || full) learn(name, value, record);
      }
      if (full) break;
    }
    if (known.size === goSettingNames.length) break;
  }
  return goSettingNames.flatMap((name) => (known.has(name) ? [known.get(name)!] : []));
}

/** One change record per known setting, judged by the policy; only value rules count as deviations. */
export async function deviations(
  host: string,
  settings: readonly CurrentSetting[],
  judge: (records: readonly AuditRecord[]) => Promise<Decision[]>,
): Promise<{ name: GoSettingName; value?: string; rules: string[] }[]> {
  const judged = settings.filter((setting) => judgedSettings.includes(setting.name));
  if (judged.length === 0) return [];
  const decisions = await judge(judged.map((setting) => probeRecord(host, setting)));
  return judged.flatMap((setting, i) => {
    const rules = (decisions[i]?.ids ?? []).filter((id) => settingRules.includes(id));
    return rules.length === 0 ? [] : [{ name: setting.name, ...(setting.value === undefined ? {} : { value: setting.value }), rules }];
  });
}

function probeRecord(host: string, setting: CurrentSetting): AuditRecord {
  return {
    '@timestamp': setting.since,
    ecs: { version: ecsVersion },
    event: {
      id: setting.recordId,
      kind: 'event',
      category: ['configuration'],
      type: ['change'],
      action: setting.value === undefined ? 'goenv.unset' : 'goenv.changed',
      outcome: 'success',
      dataset: 'agent.goenv',
      ingested: setting.since,
      original: '',
    },
    observer: { product: 'modtrail', type: 'api' },
    host: { name: host },
    goenv: { name: setting.name, ...(setting.value === undefined ? {} : { value: setting.value }), scope: 'user' },
  };
}
