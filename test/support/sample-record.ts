import { ecsVersion, type AuditRecord } from '../../src/core/record.js';

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
