import { readFileSync } from 'node:fs';
import { ModtrailError } from '../core/errors.js';
import { configFileVariable, environmentVariables } from './environment.js';
import { configSchema, type Config } from './schema.js';

type Tree = Record<string, unknown>;

/**
 * Builds the configuration from an optional JSON file, then MODTRAIL_* variables on top; validates it whole.
 * Every problem is reported at once, each with its key path or variable name; the result is frozen.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, file = env[configFileVariable]): Readonly<Config> {
  const problems: string[] = [];
  let tree: Tree = {};
  if (file) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) problems.push(`${file}: must be a JSON object`);
      else tree = parsed as Tree;
    } catch (error) {
      problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('MODTRAIL_') || name === configFileVariable || value === undefined) continue;
    const variable = environmentVariables[name];
    if (!variable) {
      if (!nonSettingVariables.has(name)) problems.push(`${name}: unknown setting (see docs/CONFIGURATION.md)`);
      continue;
    }
    setPath(tree, variable.path, variable.parse(value));
  }
  const result = configSchema.safeParse(tree);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.join('.');
      const variable = Object.entries(environmentVariables).find(([, v]) => `${path}.`.startsWith(`${v.path.join('.')}.`))?.[0];
      problems.push(`${path || '(root)'}${variable ? ` (${variable})` : ''}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) {
    throw new ModtrailError('config.invalid', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return deepFreeze(result.data);
}

/** MODTRAIL_* variables that steer the local servers and tests, not the service. */
const nonSettingVariables = new Set([
  'MODTRAIL_CACHE_DIR',
  'MODTRAIL_KAFKA_VERSION',
  'MODTRAIL_OPENSEARCH_VERSION',
  'MODTRAIL_OPA_VERSION',
  'MODTRAIL_OPA',
  'MODTRAIL_KAFKA_PORT',
  'MODTRAIL_KAFKA_CONTROLLER_PORT',
  'MODTRAIL_OPENSEARCH_PORT',
  'MODTRAIL_OPENSEARCH_TRANSPORT_PORT',
  'MODTRAIL_KAFKA_HEAP',
  'MODTRAIL_OPENSEARCH_HEAP',
]);

function setPath(tree: Tree, path: string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = typeof next === 'object' && next !== null ? (next as Tree) : (node[key] = {} as Tree);
  }
  node[path.at(-1)!] = value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
