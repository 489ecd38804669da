/** Environment variables the service reads, each mapped to one key path of the configuration. */
type Parse = (value: string) => unknown;

const text: Parse = (value) => value;
const list: Parse = (value) => value.split(',').map((item) => item.trim()).filter(Boolean);
const bool: Parse = (value) => (value === 'true' ? true : value === 'false' ? false : value);
const int: Parse = (value) => (/^\d+$/.test(value) ? Number(value) : value);
const json: Parse = (value) => {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

export const environmentVariables: Record<string, { path: string[]; parse: Parse }> = {
  MODTRAIL_LOG_LEVEL: { path: ['log', 'level'], parse: text },
  MODTRAIL_KAFKA_BROKERS: { path: ['kafka', 'brokers'], parse: list },
  MODTRAIL_KAFKA_CLIENT_ID: { path: ['kafka', 'clientId'], parse: text },
  MODTRAIL_KAFKA_GROUP_ID: { path: ['kafka', 'groupId'], parse: text },
  MODTRAIL_KAFKA_TOPIC_PROXY: { path: ['kafka', 'topics', 'proxy'], parse: text },
  MODTRAIL_KAFKA_TOPIC_AGENT: { path: ['kafka', 'topics', 'agent'], parse: text },
  MODTRAIL_KAFKA_TOPIC_DEADLETTER: { path: ['kafka', 'topics', 'deadLetter'], parse: text },
  MODTRAIL_KAFKA_TOPIC_API: { path: ['kafka', 'topics', 'api'], parse: text },
  MODTRAIL_API_ENABLED: { path: ['api', 'enabled'], parse: bool },
  MODTRAIL_API_HOST: { path: ['api', 'host'], parse: text },
  MODTRAIL_API_PORT: { path: ['api', 'port'], parse: int },
  MODTRAIL_API_AUTH_ISSUER: { path: ['api', 'auth', 'issuer'], parse: text },
  MODTRAIL_API_AUTH_AUDIENCE: { path: ['api', 'auth', 'audience'], parse: text },
  MODTRAIL_API_AUTH_JWKS_URL: { path: ['api', 'auth', 'jwksUrl'], parse: text },
  MODTRAIL_API_AUTH_ROLES_CLAIM: { path: ['api', 'auth', 'rolesClaim'], parse: text },
  MODTRAIL_API_CURSOR_SECRET: { path: ['api', 'cursorSecret'], parse: text },
  MODTRAIL_KAFKA_TOPIC_FORMATS: { path: ['kafka', 'topicFormats'], parse: json },
  MODTRAIL_KAFKA_FROM_BEGINNING: { path: ['kafka', 'fromBeginning'], parse: bool },
  MODTRAIL_KAFKA_SESSION_TIMEOUT_MS: { path: ['kafka', 'sessionTimeoutMs'], parse: int },
  MODTRAIL_KAFKA_IN_FLIGHT_BATCHES: { path: ['kafka', 'inFlightBatches'], parse: int },
  MODTRAIL_OPENSEARCH_URL: { path: ['opensearch', 'node'], parse: text },
  MODTRAIL_OPENSEARCH_USERNAME: { path: ['opensearch', 'username'], parse: text },
  MODTRAIL_OPENSEARCH_PASSWORD: { path: ['opensearch', 'password'], parse: text },
  MODTRAIL_OPENSEARCH_INDEX_PREFIX: { path: ['opensearch', 'indexPrefix'], parse: text },
  MODTRAIL_OPENSEARCH_REQUEST_TIMEOUT_MS: { path: ['opensearch', 'requestTimeoutMs'], parse: int },
  MODTRAIL_STORE_APPEND_ONLY: { path: ['store', 'appendOnly'], parse: bool },
  MODTRAIL_STORE_LIFECYCLE_ENABLED: { path: ['store', 'lifecycle', 'enabled'], parse: bool },
  MODTRAIL_STORE_WRITE_BLOCK_AFTER_DAYS: { path: ['store', 'lifecycle', 'writeBlockAfterDays'], parse: int },
  MODTRAIL_STORE_LIFECYCLE_INTERVAL_MINUTES: { path: ['store', 'lifecycle', 'intervalMinutes'], parse: int },
  MODTRAIL_STORE_RETENTION_DAYS: { path: ['store', 'retention', 'days'], parse: int },
  MODTRAIL_STORE_RETENTION_DELETE_EXPIRED: { path: ['store', 'retention', 'deleteExpired'], parse: bool },
  MODTRAIL_POLICY_BUNDLE_DIR: { path: ['policy', 'bundleDir'], parse: text },
  MODTRAIL_POLICY_DATA: { path: ['policy', 'dataFile'], parse: text },
  MODTRAIL_POLICY_WATCH: { path: ['policy', 'watch'], parse: bool },
  MODTRAIL_ALERTS_WEBHOOK_URL: { path: ['alerts', 'webhook', 'url'], parse: text },
  MODTRAIL_ALERTS_WEBHOOK_SECRET: { path: ['alerts', 'webhook', 'secret'], parse: text },
  MODTRAIL_ALERTS_WEBHOOK_TIMEOUT_MS: { path: ['alerts', 'webhook', 'timeoutMs'], parse: int },
  MODTRAIL_ALERTS_WEBHOOK_TLS_CERT_FILE: { path: ['alerts', 'webhook', 'tls', 'certFile'], parse: text },
  MODTRAIL_ALERTS_WEBHOOK_TLS_KEY_FILE: { path: ['alerts', 'webhook', 'tls', 'keyFile'], parse: text },
  MODTRAIL_ALERTS_WEBHOOK_TLS_KEY_PASSPHRASE: { path: ['alerts', 'webhook', 'tls', 'keyPassphrase'], parse: text },
  MODTRAIL_ALERTS_WEBHOOK_TLS_CA_FILE: { path: ['alerts', 'webhook', 'tls', 'caFile'], parse: text },
  MODTRAIL_ALERTS_SLACK_URL: { path: ['alerts', 'slack', 'url'], parse: text },
  MODTRAIL_ALERTS_SLACK_RECORD_URL_TEMPLATE: { path: ['alerts', 'slack', 'recordUrlTemplate'], parse: text },
  MODTRAIL_ALERTS_SLACK_TIMEOUT_MS: { path: ['alerts', 'slack', 'timeoutMs'], parse: int },
  MODTRAIL_ALERTS_TEAMS_URL: { path: ['alerts', 'teams', 'url'], parse: text },
  MODTRAIL_ALERTS_TEAMS_RECORD_URL_TEMPLATE: { path: ['alerts', 'teams', 'recordUrlTemplate'], parse: text },
  MODTRAIL_ALERTS_TEAMS_TIMEOUT_MS: { path: ['alerts', 'teams', 'timeoutMs'], parse: int },
  MODTRAIL_ALERTS_PAGERDUTY_ROUTING_KEY: { path: ['alerts', 'pagerduty', 'routingKey'], parse: text },
  MODTRAIL_ALERTS_PAGERDUTY_URL: { path: ['alerts', 'pagerduty', 'url'], parse: text },
  MODTRAIL_ALERTS_PAGERDUTY_RECORD_URL_TEMPLATE: { path: ['alerts', 'pagerduty', 'recordUrlTemplate'], parse: text },
  MODTRAIL_ALERTS_PAGERDUTY_TIMEOUT_MS: { path: ['alerts', 'pagerduty', 'timeoutMs'], parse: int },
  MODTRAIL_INTEGRITY_KEYS_FILE: { path: ['integrity', 'keys', 'file'], parse: text },
  MODTRAIL_INTEGRITY_KEYS_ENV: { path: ['integrity', 'keys', 'env'], parse: text },
  MODTRAIL_INTEGRITY_ACTIVE_KID: { path: ['integrity', 'activeKid'], parse: text },
  MODTRAIL_INTEGRITY_SEAL_EVERY_MS: { path: ['integrity', 'sealEveryMs'], parse: int },
  MODTRAIL_INTEGRITY_SEAL_EVERY_RECORDS: { path: ['integrity', 'sealEveryRecords'], parse: int },
  MODTRAIL_EXPORT_DIR: { path: ['export', 'dir'], parse: text },
  MODTRAIL_EXPORT_PAGE_SIZE: { path: ['export', 'pageSize'], parse: int },
  MODTRAIL_EXPORT_MAX_RUNNING: { path: ['export', 'maxRunning'], parse: int },
  MODTRAIL_METRICS_ENABLED: { path: ['metrics', 'enabled'], parse: bool },
  MODTRAIL_METRICS_HOST: { path: ['metrics', 'host'], parse: text },
  MODTRAIL_METRICS_PORT: { path: ['metrics', 'port'], parse: int },
};

/** Variables that name where configuration comes from rather than a setting. */
export const configFileVariable = 'MODTRAIL_CONFIG';
