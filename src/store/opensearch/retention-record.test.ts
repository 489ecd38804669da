import { describe, expect, it } from 'vitest';
import { auditRecordProblems } from '../../core/record-schema.js';
import { eventId } from '../../normalize/event-id.js';
import { lifecycleEventSchema } from '../../normalize/modtrail-lifecycle/lifecycle-event.js';
import { modtrailLifecycleParser } from '../../normalize/modtrail-lifecycle/parser.js';
import { retentionEvent } from './retention-record.js';

const deletion = {
  index: 'modtrail-audit-2025.01.01',
  uuid: 'eEJhHycCSIWk8c_xfplJNg',
  documents: 1234,
  day: '2025-01-01',
  retentionDays: 365,
  actor: 'modtrail_writer',
  host: 'ingest-1',
  at: new Date('2026-11-24T10:00:00Z'),
};

describe('retentionEvent', () => {
  it('is a modtrail.lifecycle/v1 event naming the index, its documents and the setting behind the deletion', () => {
    const event = retentionEvent(deletion);
    expect(lifecycleEventSchema.parse(event)).toEqual(event);
    expect(event).toEqual({
      schema: 'modtrail.lifecycle/v1',
      time: '2026-11-24T10:00:00.000Z',
      action: 'index.delete',
      index: { name: 'modtrail-audit-2025.01.01', uuid: 'eEJhHycCSIWk8c_xfplJNg', day: '2025-01-01', documents: 1234 },
      setting: { 'store.retention.days': 365, 'store.retention.deleteExpired': true },
      actor: 'modtrail_writer',
      host: 'ingest-1',
    });
  });

  it('comes back from the pipeline as a valid record whose id follows from where Kafka put it', () => {
    const raw = JSON.stringify(retentionEvent(deletion));
    const origin = { topic: 'modtrail.api', partition: 2, offset: '41' };
    const result = modtrailLifecycleParser.parse(raw, { receivedAt: deletion.at, ingestedAt: deletion.at, origin });
    if (!result.ok) throw new Error(result.rejection.reason);
    expect(auditRecordProblems(result.record)).toEqual([]);
    expect(result.record.event).toMatchObject({ id: eventId(origin, raw), dataset: 'modtrail.retention', action: 'index.delete', type: ['deletion'], outcome: 'unknown' });
    expect(result.record.modtrail?.origin).toEqual(origin);
    expect(result.record.message).toContain('modtrail-audit-2025.01.01');
    expect(result.record.user?.name).toBe('modtrail_writer');
  });
});
