import type { Client } from '@opensearch-project/opensearch';
import type { Kafka } from 'kafkajs';

/** Removes what one integration test made on the shared servers: its topics, and its indices and templates. */
export async function removeTestData(options: { kafka?: Kafka; topics?: string[]; opensearch?: Client; indexPrefix?: string }): Promise<void> {
  const { kafka, topics, opensearch, indexPrefix } = options;
  if (kafka && topics && topics.length > 0) {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
  if (opensearch && indexPrefix) {
    await opensearch.indices.delete({ index: `${indexPrefix}-*` }).catch(() => undefined);
    await opensearch.indices.deleteIndexTemplate({ name: `${indexPrefix}-*` }).catch(() => undefined);
  }
}
