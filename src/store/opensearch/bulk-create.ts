import type { Client } from '@opensearch-project/opensearch';
import type { Settlement } from '../../core/component.js';
import { takeStoredBytes } from '../../integrity/record-hash.js';

export interface Document {
  index: string;
  id: string;
  body: object;
}

interface BulkItem {
  status: number;
  error?: { type?: string; reason?: string | null };
}

/** Only what settlement reads comes back: a fraction of the full answer to parse, thousands of items per batch. */
export const settlementFields = 'items.*.status,items.*.error';

/**
 * The NDJSON of create actions, written here rather than by the client: a hashed record's stored bytes are already
 * made (record-hash), and one buffer written in place leaves no small buffer per line for the GC.
 */
export function createBody(documents: readonly Document[]): Buffer {
  const actions: string[] = [];
  const sources: (Buffer | string)[] = [];
  let length = 0;
  for (const doc of documents) {
    const action = `{"create":{"_index":${JSON.stringify(doc.index)},"_id":${JSON.stringify(doc.id)}}}\n`;
    const source = takeStoredBytes(doc.body) ?? JSON.stringify(doc.body);
    actions.push(action);
    sources.push(source);
    length += Buffer.byteLength(action) + (typeof source === 'string' ? Buffer.byteLength(source) : source.length) + 1;
  }
  const body = Buffer.allocUnsafe(length);
  let at = 0;
  for (let index = 0; index < documents.length; index++) {
    at += body.write(actions[index]!, at, 'utf8');
    const source = sources[index]!;
    at += typeof source === 'string' ? body.write(source, at, 'utf8') : source.copy(body, at);
    body[at++] = 0x0a;
  }
  return body;
}

/**
 * Create-only bulk write, settled item by item: created or already present (a replay) is delivered,
 * throttling and server errors are retriable, a write-blocked or closed index is `store.index_closed`,
 * anything else is rejected with OpenSearch's reason.
 */
export async function bulkCreate(client: Client, documents: readonly Document[]): Promise<Settlement[]> {
  if (documents.length === 0) return [];
  const body = createBody(documents);
  let items: { create?: BulkItem }[];
  try {
    // The client sends a Buffer bulk body as it is (its typings list only the array form).
    const response = await client.bulk({ body: body as unknown as Record<string, unknown>[], filter_path: settlementFields });
    items = response.body.items;
  } catch (error) {
    const reason = `bulk request failed: ${error instanceof Error ? error.message : String(error)}`;
    return documents.map(() => ({ status: 'retry', reason }));
  }
  const settlements = documents.map((doc, i) => settle(doc.index, items[i]?.create));
  return settleRefusedByClosedIndex(client, documents, settlements);
}

/** OpenSearch's block ids for an index write block (8) and a read-only index (5); stable across releases. */
const writeBlocked = /FORBIDDEN\/(?:5|8)\//;

function settle(index: string, item: BulkItem | undefined): Settlement {
  if (!item) return { status: 'retry', reason: 'bulk response has no item for this document' };
  if (item.status === 201 || item.status === 200) return { status: 'delivered' };
  // A replay of a record already stored: the original stands, nothing is lost or doubled.
  if (item.status === 409) return { status: 'delivered', duplicate: true };
  const reason = `${item.status} ${item.error?.type ?? 'error'}: ${item.error?.reason ?? 'no reason given'}`;
  if (isClosedIndex(item)) {
    return { status: 'rejected', code: 'store.index_closed', reason: `index ${index} takes no more writes (write-blocked after its grace period, or closed): ${reason}` };
  }
  if (item.status === 429 || item.status >= 500) return { status: 'retry', reason };
  return { status: 'rejected', code: 'store.rejected', reason };
}

function isClosedIndex(item: BulkItem): boolean {
  if (item.error?.type === 'index_closed_exception') return true;
  return item.status === 403 && item.error?.type === 'cluster_block_exception' && writeBlocked.test(item.error.reason ?? '');
}

/**
 * A write block answers 403 even when the document is already there, so a replay into a blocked day would
 * look like a refusal: look the refused ids up, and settle those already stored as duplicates.
 */
async function settleRefusedByClosedIndex(client: Client, documents: readonly Document[], settlements: Settlement[]): Promise<Settlement[]> {
  const refused = settlements.flatMap((s, i) => (s.status === 'rejected' && s.code === 'store.index_closed' ? [i] : []));
  if (refused.length === 0) return settlements;
  let found: { found?: boolean }[];
  try {
    const response = await client.mget({ body: { docs: refused.map((i) => ({ _index: documents[i]!.index, _id: documents[i]!.id, _source: false })) } });
    found = response.body.docs as { found?: boolean }[];
  } catch (error) {
    // Without the answer a stored record could be dead-lettered by mistake: ask again later instead.
    const reason = `write-blocked index; looking up whether the records are already stored failed: ${error instanceof Error ? error.message : String(error)}`;
    for (const i of refused) settlements[i] = { status: 'retry', reason };
    return settlements;
  }
  refused.forEach((i, n) => {
    if (found[n]?.found === true) settlements[i] = { status: 'delivered', duplicate: true };
  });
  return settlements;
}
