import { goSettingNames } from '../../core/go-settings.js';

/** Explicit mappings: keywords for ids, paths and names, dates, numbers; unknown fields kept in _source only. */
const keyword = { type: 'keyword', ignore_above: 4096 } as const;
const object = (properties: Record<string, unknown>): { properties: Record<string, unknown> } => ({ properties });

export const auditRecordMapping = {
  dynamic: false,
  properties: {
    '@timestamp': { type: 'date' },
    ecs: object({ version: keyword }),
    event: object({
      id: keyword,
      kind: keyword,
      category: keyword,
      type: keyword,
      action: keyword,
      outcome: keyword,
      dataset: keyword,
      module: keyword,
      ingested: { type: 'date' },
      // Stored for evidence, never searched: the raw line as the source wrote it.
      original: { type: 'keyword', index: false, doc_values: false },
      duration: { type: 'long' },
      severity: { type: 'integer' },
      risk_score: { type: 'float' },
      // Searched for, never sorted or aggregated on: no column of 64 random hex digits per record.
      hash: { ...keyword, doc_values: false },
    }),
    observer: object({ vendor: keyword, product: keyword, type: keyword, name: keyword, hostname: keyword }),
    user: object({ name: keyword, domain: keyword, id: keyword }),
    source: object({ ip: { type: 'ip' }, address: keyword }),
    host: object({ name: keyword, ip: { type: 'ip' }, os: object({ type: keyword }) }),
    agent: object({ id: keyword, name: keyword, type: keyword, version: keyword }),
    http: object({
      request: object({ method: keyword, bytes: { type: 'long' } }),
      response: object({ status_code: { type: 'integer' }, body: object({ bytes: { type: 'long' } }) }),
    }),
    url: object({ path: keyword, original: keyword }),
    user_agent: object({ original: keyword }),
    trace: object({ id: keyword }),
    package: object({ name: keyword, version: keyword, type: keyword }),
    process: object({ executable: keyword, pid: { type: 'long' }, name: keyword }),
    registry: object({ hive: keyword, key: keyword, path: keyword, value: keyword, data: object({ strings: keyword, type: keyword }) }),
    log: object({ level: keyword, logger: keyword }),
    message: { type: 'text' },
    rule: object({ id: keyword, name: keyword, ruleset: keyword, version: keyword }),
    goenv: object({
      name: keyword,
      value: keyword,
      previous_value: keyword,
      scope: keyword,
      mechanism: keyword,
      managed_by: keyword,
      settings: object(Object.fromEntries(goSettingNames.map((name) => [name, keyword]))),
      sources: object(Object.fromEntries(goSettingNames.map((name) => [name, keyword]))),
    }),
    modtrail: object({
      repository: keyword,
      sumdb: keyword,
      source_action: keyword,
      agent_event_id: keyword,
      path_error: keyword,
      alert: { type: 'boolean' },
      evaluation_error: keyword,
      origin: object({ topic: keyword, partition: { type: 'integer' }, offset: { type: 'long' } }),
    }),
  },
} as const;

export const alertMapping = {
  dynamic: false,
  properties: {
    '@timestamp': { type: 'date' },
    alert: object({ id: keyword, fingerprint: keyword, severity: { type: 'integer' } }),
    rule: object({ id: keyword, name: keyword, version: keyword }),
    record: object({ id: keyword, index: keyword }),
    package: object({ name: keyword, version: keyword }),
    user: object({ name: keyword }),
    host: object({ name: keyword }),
  },
} as const;

/** Would-be findings of a policy replay: kept apart from the audit records they judged. */
export const findingMapping = {
  dynamic: false,
  properties: {
    '@timestamp': { type: 'date' },
    replay: object({ id: keyword, at: { type: 'date' }, revision: keyword, from: { type: 'date' }, to: { type: 'date' } }),
    record: object({ id: keyword }),
    rule: object({ id: keyword, name: keyword }),
    event: object({ action: keyword, dataset: keyword, severity: { type: 'integer' } }),
    package: object({ name: keyword, version: keyword }),
    user: object({ name: keyword }),
    host: object({ name: keyword }),
    observer: object({ name: keyword, product: keyword }),
    goenv: object({ name: keyword, value: keyword }),
  },
} as const;

/** Dead letters as evidence a seal's dead_letter entry is checked against: the original bytes and the verdict. */
export const deadLetterMapping = {
  dynamic: false,
  properties: {
    '@timestamp': { type: 'date' },
    origin: object({ topic: keyword, partition: { type: 'integer' }, offset: { type: 'long' } }),
    stage: keyword,
    code: keyword,
    reason: { type: 'keyword', ignore_above: 8191 },
    // The bytes as they came, base64; binary fields are stored, never searched.
    original: { type: 'binary' },
    original_sha256: keyword,
    dead_lettered_at: { type: 'date' },
  },
} as const;

/** Seals: the compact JWS is what verification trusts; the other fields are searchable copies of its payload. */
export const sealMapping = {
  dynamic: false,
  properties: {
    stream: object({ topic: keyword, partition: { type: 'integer' } }),
    sequence: { type: 'long' },
    offsets: object({ first: { type: 'long' }, last: { type: 'long' } }),
    time: object({ from: { type: 'date' }, to: { type: 'date' } }),
    sealed_at: { type: 'date' },
    entries: { type: 'integer' },
    kid: keyword,
    alg: keyword,
    hash: keyword,
    previous: keyword,
    merkle_root: keyword,
    // Can be megabytes for a large seal: stored in _source only.
    jws: { type: 'keyword', index: false, doc_values: false },
  },
} as const;
