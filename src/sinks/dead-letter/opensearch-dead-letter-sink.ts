import type { DeadLetter, DeadLetterSink } from '../../core/component.js';
import { ModtrailError } from '../../core/errors.js';
import type { OpenSearchDeadLetterStore } from '../../store/opensearch/dead-letter-store.js';

/**
 * Dead letters into the deadletters index, so a seal's dead_letter entries can be checked. Anything not stored
 * (a replay's 409 counts as stored) fails the write, so the batch is not committed and comes again.
 */
export class OpenSearchDeadLetterSink implements DeadLetterSink {
  constructor(private readonly store: OpenSearchDeadLetterStore) {}

  async start(): Promise<void> {
    // The index template is put by the record sink's start (every modtrail template at once).
  }

  async write(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const settlements = await this.store.write(letters);
    const failed = settlements.flatMap((settlement, i) => (settlement.status === 'delivered' ? [] : [`${letters[i]!.event.origin.offset}: ${settlement.reason}`]));
    if (failed.length > 0) throw new ModtrailError('deadletter.failed', `dead letters not stored in OpenSearch: ${failed.slice(0, 3).join('; ')}`);
  }

  async stop(): Promise<void> {
    // Nothing buffered.
  }
}
