import { homedir } from 'node:os';
import { join } from 'node:path';

/** Versions and loopback ports of the real servers the project runs for tests, benchmarks and the demo. */
export const versions = {
  kafka: process.env.MODTRAIL_KAFKA_VERSION ?? '4.1.1',
  slf4jBinding: '2.24.3',
  opensearch: process.env.MODTRAIL_OPENSEARCH_VERSION ?? '2.19.6',
  opa: process.env.MODTRAIL_OPA_VERSION ?? 'v1.22.2',
} as const;

export const ports = {
  kafka: Number(process.env.MODTRAIL_KAFKA_PORT ?? 19092),
  kafkaController: Number(process.env.MODTRAIL_KAFKA_CONTROLLER_PORT ?? 19093),
  opensearch: Number(process.env.MODTRAIL_OPENSEARCH_PORT ?? 19200),
  opensearchTransport: Number(process.env.MODTRAIL_OPENSEARCH_TRANSPORT_PORT ?? 19300),
} as const;

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Downloads and server state live outside the repository. As root the default is /var/cache/modtrail
 * because the unprivileged OpenSearch user cannot traverse /root.
 */
export function cacheDir(): string {
  if (process.env.MODTRAIL_CACHE_DIR) return process.env.MODTRAIL_CACHE_DIR;
  if (isRoot) return '/var/cache/modtrail';
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'modtrail');
}

/** Where one server keeps its data, logs and pid file for the current run. */
export function runDir(server: string): string {
  return join(cacheDir(), 'run', server);
}

export const kafkaBootstrap = (): string => `127.0.0.1:${ports.kafka}`;
export const opensearchUrl = (): string => `http://127.0.0.1:${ports.opensearch}`;
