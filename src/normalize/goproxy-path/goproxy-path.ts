// Classifies a request path sent to a Go module proxy (https://go.dev/ref/mod#goproxy-protocol).
import { unescapePath, unescapeVersion } from './case-escape.js';

export { escapePath, unescapePath, escapeVersion, unescapeVersion } from './case-escape.js';

export const proxyActions = [
  'module.list',
  'module.latest',
  'module.info',
  'module.mod',
  'module.zip',
  'sumdb.supported',
  'sumdb.latest',
  'sumdb.lookup',
  'sumdb.tile',
  'proxy.health',
  'proxy.catalog',
  'proxy.ui',
  'proxy.admin',
  'proxy.other',
] as const;
export type ProxyAction = (typeof proxyActions)[number];

export interface ProxyRequest {
  action: ProxyAction;
  /** The module path, decoded; present only when the path named a valid module. */
  module?: string;
  version?: string;
  /** The Artifactory or Nexus repository that the request was addressed to. */
  repository?: string;
  /** The checksum database named in a sumdb request, e.g. sum.golang.org. */
  sumdb?: string;
  /** Why the path could not name a module, when it could not. */
  pathError?: string;
}

/** Artifactory `/api/go/<repo>/` (optionally under `/artifactory`) and Nexus `/repository/<repo>/`. */
const repositoryPrefix = /^(?:(?:artifactory\/)?api\/go|repository)\/([^/]*)(?:\/(.*))?$/s;

const versionFile = /^([^/]+)\.(info|mod|zip)$/;
const sumdbName = /^[A-Za-z0-9][A-Za-z0-9.-]*(?::[0-9]+)?$/;

/** Endpoints of the proxies themselves (Athens, Artifactory, Nexus), matched against the whole path. */
const serviceEndpoints: ReadonlyArray<readonly [RegExp, ProxyAction]> = [
  [/^(?:healthz|readyz|livez)$/, 'proxy.health'],
  [/^(?:artifactory\/)?api\/system\/ping$/, 'proxy.health'],
  [/^(?:artifactory\/)?api\/v1\/system\/(?:readiness|liveness|health)$/, 'proxy.health'],
  [/^router\/api\/v1\/system\/(?:health|readiness|liveness)$/, 'proxy.health'],
  [/^service\/rest\/v1\/status(?:\/[a-z]+)?$/, 'proxy.health'],
  [/^service\/metrics\/(?:ping|healthcheck)$/, 'proxy.health'],
  [/^catalog$/, 'proxy.catalog'],
  [/^(?:|favicon\.ico|robots\.txt|index\.html)$/, 'proxy.ui'],
  [/^(?:ui|static|webapp|artifactory\/(?:ui|webapp))(?:\/.*)?$/s, 'proxy.ui'],
  [/^artifactory\/?$/, 'proxy.ui'],
  [/^(?:artifactory\/)?api\/.*$/s, 'proxy.admin'],
  [/^service\/(?:rest|metrics|extdirect)(?:\/.*)?$/s, 'proxy.admin'],
  [/^(?:metrics|version|debug\/.*)$/s, 'proxy.admin'],
];

/**
 * A cache of parsed paths: proxy traffic repeats the same few thousand paths, and parsing one (percent-decoding,
 * unescaping, module-path checks) costs far more than a lookup. Bounded: emptied when full, so memory stays small.
 * parseProxyPath hands out copies (all fields are strings), so no caller can change a cached answer; the parsers,
 * which only read, share the cached object through readProxyPath.
 */
const cacheLimit = 4096;
/** Longer paths are parsed every time rather than held in memory. */
const cacheKeyLimit = 512;
const cache = new Map<string, Readonly<ProxyRequest>>();

/** Classifies one request path as the go command (or a proxy's own clients) would have formed it. */
export function parseProxyPath(path: string): ProxyRequest {
  return { ...readProxyPath(path) };
}

/** parseProxyPath's answer without the copy: possibly shared with other callers, so it must only be read. */
export function readProxyPath(path: string): Readonly<ProxyRequest> {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const request = parseUncached(path);
  if (path.length <= cacheKeyLimit) {
    if (cache.size >= cacheLimit) cache.clear();
    cache.set(path, request);
  }
  return request;
}

function parseUncached(path: string): ProxyRequest {
  const withoutQuery = beforeQuery(path);
  const decoded = percentDecode(withoutQuery);
  const text = decoded ?? withoutQuery;
  const relative = text.charCodeAt(0) === 0x2f ? text.slice(1) : text;
  const request = classify(relative);
  if (decoded !== undefined) return request;
  // The structure is still worth recording, but a name read from an undecodable path may be wrong.
  const { module: _module, version: _version, ...rest } = request;
  return { ...rest, pathError: `undecodable percent-encoding in ${JSON.stringify(withoutQuery)}` };
}

/** The path up to its query or fragment. */
export function beforeQuery(path: string): string {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === 0x3f || code === 0x23) return path.slice(0, i);
  }
  return path;
}

function percentDecode(path: string): string | undefined {
  // Without a "%" there is nothing to decode, and decodeURIComponent would return the text unchanged.
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

function classify(relative: string): ProxyRequest {
  const prefixed = repositoryPrefix.exec(relative);
  if (prefixed) {
    const repository = prefixed[1] ?? '';
    if (repository === '') return { action: 'proxy.other', pathError: 'repository name missing' };
    return { ...classifyGoproxy(prefixed[2] ?? ''), repository };
  }
  for (const [pattern, action] of serviceEndpoints) {
    if (pattern.test(relative)) return { action };
  }
  return classifyGoproxy(relative);
}

/** A path relative to the GOPROXY base URL. */
function classifyGoproxy(rest: string): ProxyRequest {
  if (rest.startsWith('sumdb/')) return classifySumdb(rest.slice('sumdb/'.length));
  // With the slash back in front, an empty module path ("/@v/list") is still seen as one.
  const slashed = `/${rest}`;
  const at = slashed.indexOf('/@v/');
  if (at >= 0) {
    const escapedModule = slashed.slice(1, Math.max(at, 1));
    const file = slashed.slice(at + '/@v/'.length);
    if (file === 'list') return withModule('module.list', escapedModule);
    const match = versionFile.exec(file);
    if (!match) return { action: 'proxy.other', pathError: `unknown GOPROXY request "@v/${file}"` };
    const action = `module.${match[2] ?? ''}` as 'module.info' | 'module.mod' | 'module.zip';
    return withModule(action, escapedModule, match[1]);
  }
  if (slashed.endsWith('/@latest')) return withModule('module.latest', slashed.slice(1, -'/@latest'.length));
  if (slashed.includes('/@')) return { action: 'proxy.other', pathError: 'unknown GOPROXY request' };
  return { action: 'proxy.other' };
}

function classifySumdb(rest: string): ProxyRequest {
  const slash = rest.indexOf('/');
  const name = slash < 0 ? rest : rest.slice(0, slash);
  const endpoint = slash < 0 ? '' : rest.slice(slash + 1);
  const action = sumdbAction(endpoint);
  if (!sumdbName.test(name)) {
    return { action: action ?? 'proxy.other', pathError: `invalid checksum database name ${JSON.stringify(name)}` };
  }
  if (action === undefined) return { action: 'proxy.other', sumdb: name, pathError: 'unknown sumdb request' };
  if (action !== 'sumdb.lookup') return { action, sumdb: name };
  const lookup = endpoint.slice('lookup/'.length);
  const at = lookup.indexOf('@');
  if (at < 0) return { action, sumdb: name, pathError: 'sumdb lookup without "@version"' };
  return { ...withModule(action, lookup.slice(0, at), lookup.slice(at + 1)), sumdb: name };
}

function sumdbAction(endpoint: string): ProxyAction | undefined {
  if (endpoint === 'supported') return 'sumdb.supported';
  if (endpoint === 'latest') return 'sumdb.latest';
  if (endpoint.startsWith('lookup/')) return 'sumdb.lookup';
  if (endpoint.startsWith('tile/')) return 'sumdb.tile';
  return undefined;
}

/** The request with its module (and version), or with the reason there is none: never a wrong name. */
function withModule(action: ProxyAction, escapedModule: string, escapedVersion?: string): ProxyRequest {
  const module = unescapePath(escapedModule);
  if (!module.ok) return { action, pathError: module.error };
  if (escapedVersion === undefined) return { action, module: module.value };
  const version = unescapeVersion(escapedVersion);
  if (!version.ok) return { action, pathError: version.error };
  return { action, module: module.value, version: version.value };
}
