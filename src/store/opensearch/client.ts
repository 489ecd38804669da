import { Client } from '@opensearch-project/opensearch';
import type { OpenSearchConfig } from '../../sinks/opensearch/config.js';

export type { Client as OpenSearchClient };

export function createOpenSearchClient(config: OpenSearchConfig): Client {
  return new Client({
    node: config.node,
    requestTimeout: config.requestTimeoutMs,
    // The one retry module decides about retries; the client must not retry behind its back.
    maxRetries: 0,
    ...(config.username && config.password ? { auth: { username: config.username, password: config.password } } : {}),
  });
}
