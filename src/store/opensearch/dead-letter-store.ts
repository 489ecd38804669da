import type { Client } from '@opensearch-project/opensearch';
import type { DeadLetter, Settlement } from '../../core/component.js';
import { ModtrailError } from '../../core/errors.js';
import { sha256Hex } from '../../integrity/digest.js';
import type { DeadLetterEvidence } from '../../integrity/entry-hash.js';
import { bulkCreate } from './bulk-create.js';
import { dailyIndex } from './index-names.js';

/** A dead letter as stored in the deadletters index. */
export interface DeadLetterDocument {
  '@timestamp': string;
  origin: { topic: string; partition: number; offset: string };
  stage: DeadLetter['stage'];
  code: string;
  reason: string;
  /** The original message bytes, base64. */
  original: string;
  original_sha256: string;
  dead_lettered_at: string;
}

/** The document id: the message's origin, so a replayed dead letter meets a 409 and the first one stands. */
export const deadLetterId = (origin: { topic: string; partition: number; offset: string }): string => `${origin.topic}/${origin.partition}/${origin.offset}`;

/** The Kafka message's own time picks the daily index, so a replay lands where the first copy did. */
function messageTime(letter: DeadLetter): string {
  const time = letter.event.receivedAt.getTime();
  return new Date(Number.isFinite(time) && time >= 0 ? time : 0).toISOString();
}

export const evidenceOf = (doc: DeadLetterDocument): DeadLetterEvidence => ({
  origin: { topic: doc.origin.topic, partition: doc.origin.partition, offset: String(doc.origin.offset) },
  original: Buffer.from(doc.original, 'base64'),
  code: doc.code,
  reason: doc.reason,
});

/** Dead letters as verifiable evidence: create-only, one document per consumed message, original bytes kept. */
export class OpenSearchDeadLetterStore {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  write(letters: readonly DeadLetter[], at = new Date()): Promise<Settlement[]> {
    return bulkCreate(
      this.client,
      letters.map((letter) => {
        const time = messageTime(letter);
        const body: DeadLetterDocument = {
          '@timestamp': time,
          origin: { ...letter.event.origin },
          stage: letter.stage,
          code: letter.code,
          reason: letter.reason,
          original: letter.event.value.toString('base64'),
          original_sha256: sha256Hex(letter.event.value),
          dead_lettered_at: at.toISOString(),
        };
        return { index: dailyIndex(this.indexPrefix, 'deadletters', time), id: deadLetterId(letter.event.origin), body };
      }),
    );
  }

  /** The stored copies of these dead letters (a replay's first copy, not the replay's own), by origin id. */
  async stored(letters: readonly DeadLetter[]): Promise<Map<string, DeadLetterEvidence>> {
    const found = new Map<string, DeadLetterEvidence>();
    if (letters.length === 0) return found;
    let docs: { found?: boolean; _id: string; _source?: DeadLetterDocument }[];
    try {
      const { body } = await this.client.mget({
        body: { docs: letters.map((letter) => ({ _index: dailyIndex(this.indexPrefix, 'deadletters', messageTime(letter)), _id: deadLetterId(letter.event.origin) })) },
      });
      docs = body.docs as typeof docs;
    } catch (error) {
      throw new ModtrailError('store.unavailable', `reading dead letters back failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    for (const doc of docs) if (doc.found && doc._source !== undefined) found.set(doc._id, evidenceOf(doc._source));
    return found;
  }
}
