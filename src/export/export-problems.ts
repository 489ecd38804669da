// What verify-export can find: the integrity problems of src/integrity, and those only a bundle can have.
import { problemKinds } from '../integrity/problems.js';
import type { SealStream } from '../integrity/seal-format.js';

export const exportProblemKinds = [
  ...problemKinds,
  /** The manifest's signature does not verify (bad signature, unknown kid), or it is not a manifest. */
  'manifest_invalid',
  /** A file the manifest lists is not in the bundle. */
  'file_missing',
  /** A file's SHA-256, size or line count is not what the manifest says: changed after signing. */
  'file_modified',
  /** A file in the bundle that the manifest does not list. */
  'file_unexpected',
  /** A seal the manifest lists is not in seals.jws. */
  'seal_missing',
  /** A seal in seals.jws that the manifest does not list. */
  'seal_unlisted',
  /** A line that is not a JSON record (or dead letter). */
  'record_malformed',
  /** A record outside the exported time range (or, in sealed-context.jsonl, inside it). */
  'record_out_of_range',
  /** A record that does not pass the export's filters. */
  'record_filter_mismatch',
  /** A CSV row that is not the row of its record in records.jsonl. */
  'csv_mismatch',
  /** An OCSF line that is not what the OCSF mapping makes of its record in records.jsonl. */
  'ocsf_mismatch',
] as const;

export type ExportProblemKind = (typeof exportProblemKinds)[number];

export interface ExportProblem {
  kind: ExportProblemKind;
  detail: string;
  file?: string;
  /** 1-based line (or CSV row) in the file. */
  line?: number;
  recordId?: string;
  stream?: SealStream | null;
  offsets?: { first: string; last: string };
  sequence?: number;
  /** For offset_gap: true when a seal itself names the gap and its reason (not a hole between seals). */
  explicitGap?: true;
  /** For a seal that does not verify: its position in seals.jws, from 0. */
  sealIndex?: number;
}
