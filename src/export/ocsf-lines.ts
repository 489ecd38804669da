// The OCSF view of an export: one OCSF event per record, as JSON lines, made by the pure mapping of ocsf.ts. The
// exporter writes these lines and verify-export makes them again from records.jsonl, so both must use this one function.
import type { AuditRecord } from '../core/record.js';
import { toOcsf } from './ocsf.js';

/** One record's OCSF line (LF-terminated); `version` is the exporting modtrail's, as the manifest names it. */
export const ocsfLineOf = (record: AuditRecord, version: string): string => `${JSON.stringify(toOcsf(record, { productVersion: version }))}\n`;
