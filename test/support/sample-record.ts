import { createHash } from 'node:crypto';
import { ecsVersion, type AuditRecord } from '../../src/core/record.js';
import { withHash } from '../../src/integrity/record-hash.js';
import type { SealStream } from '../../src/integrity/seal-format.js';

/** The smallest valid audit record: an Athens module download with only the fields every record has. */
export const minimalRecord: AuditRecord = {
  '@timestamp': '2024-06-01T07:30:00.000Z',
  ecs: { version: ecsVersion },
  event: {
    id: '6a58add7d49b330a77ee672ef9fad6f840f51111',
    kind: 'event',
    category: ['web', 'package'],
    type: ['access'],
    action: 'module.zip',
    outcome: 'success',
    dataset: 'athens.access',
    ingested: '2024-06-01T07:30:01.250Z',
    original: 'raw line',
  },
  observer: { product: 'athens', type: 'proxy' },
};

/** What sets one stream record apart from the next, beyond its stream and offset. */
export interface StreamRecordShape {
  /** `@timestamp`. */
  time: Date;
  /** `event.ingested`. */
  ingested: Date;
  /** Text after the request in `event.original`; none by default. */
  originalTail?: string;
  /** `event.severity`; 1 by default. */
  severity?: number;
  /** `user.name`; no user by default. */
  user?: string;
}

/**
 * An Athens download of github.com/acme/mod v1.0.<offset>, read from that offset of the stream, with `event.hash`
 * set: the event id comes from the stream and offset, so the same arguments give the same record. `changes` are
 * spread over the record last.
 */
export function streamRecord(stream: SealStream, offset: number, shape: StreamRecordShape, changes: Partial<AuditRecord> = {}): AuditRecord {
  return withHash({
    '@timestamp': shape.time.toISOString(),
    ecs: { version: ecsVersion },
    event: {
      id: createHash('sha256').update(`${stream.topic}/${stream.partition}/${offset}`).digest('hex').slice(0, 40),
      kind: 'event',
      category: ['package'],
      type: ['access'],
      action: 'module.zip',
      outcome: 'success',
      dataset: 'athens.access',
      ingested: shape.ingested.toISOString(),
      original: `GET /github.com/acme/mod/@v/v1.0.${offset}.zip${shape.originalTail ?? ''}`,
      severity: shape.severity ?? 1,
    },
    observer: { product: 'athens', type: 'proxy' },
    ...(shape.user === undefined ? {} : { user: { name: shape.user } }),
    package: { name: 'github.com/acme/mod', version: `v1.0.${offset}`, type: 'golang' },
    modtrail: { origin: { ...stream, offset: String(offset) } },
    ...changes,
  });
}
