import type { Client } from '@opensearch-project/opensearch';
import type { Settlement } from '../../core/component.js';

export interface Document {
  index: string;
  id: string;
  body: object;
}

/**
 * Create-only bulk write, settled item by item: created or already present (a replay) is delivered,
 * throttling and server errors are retriable, anything else is rejected with OpenSearch's reason.
 */
export async function bulkCreate(client: Client, documents: readonly Document[]): Promise<Settlement[]> {
  if (documents.length === 0) return [];
  const body = documents.flatMap((doc) => [{ create: { _index: doc.index, _id: doc.id } }, doc.body]);
  let items: { create?: { status: number; error?: { type?: string; reason?: string | null } } }[];
  try {
    const response = await client.bulk({ body });
    items = response.body.items;
  } catch (error) {
    const reason = `bulk request failed: ${error instanceof Error ? error.message : String(error)}`;
    return documents.map(() => ({ status: 'retry', reason }));
  }
  return documents.map((_, i) => settle(items[i]?.create));
}

function settle(item: { status: number; error?: { type?: string; reason?: string | null } } | undefined): Settlement {
  if (!item) return { status: 'retry', reason: 'bulk response has no item for this document' };
  if (item.status === 201 || item.status === 200) return { status: 'delivered' };
  // A replay of a record already stored: the original stands, nothing is lost or doubled.
  if (item.status === 409) return { status: 'delivered', duplicate: true };
  const reason = `${item.status} ${item.error?.type ?? 'error'}: ${item.error?.reason ?? 'no reason given'}`;
  if (item.status === 429 || item.status >= 500) return { status: 'retry', reason };
  return { status: 'rejected', code: 'store.rejected', reason };
}
