// The files of an export bundle: one directory, each file named here and listed with its SHA-256 in the manifest.

/** What an export writes: records.jsonl always (the evidence); with csv or ocsf also records.csv or records.ocsf.jsonl, a view of it. */
export const exportFormats = ['jsonl', 'csv', 'ocsf'] as const;
export type ExportFormat = (typeof exportFormats)[number];
export const bundleFiles = {
  /** The records of the range that pass the filters, one JSON object per line: the evidence. */
  records: 'records.jsonl',
  /** The same records as CSV (only with format csv): a view for spreadsheets, checked row by row against records.jsonl. */
  recordsCsv: 'records.csv',
  /** The same records as OCSF events, one per line (only with format ocsf): a view for SIEMs, checked line by line against records.jsonl. */
  recordsOcsf: 'records.ocsf.jsonl',
  /** Records sealed in the bundle's seals but outside the time range (only unfiltered exports), so those seals can be checked whole. */
  context: 'sealed-context.jsonl',
  /** The seals covering the range, one compact JWS per line, by stream and sequence. */
  seals: 'seals.jws',
  /** The dead letters the bundle's seals account for, and those of the range no seal covers yet. */
  deadLetters: 'dead-letters.jsonl',
  /** The public keys of the exporter's keyring, for convenience; verify with keys obtained out of band. */
  jwks: 'jwks.json',
  /** The signed manifest (compact JWS); not listed in itself. */
  manifest: 'manifest.jws',
} as const;

/** One dead letter as a bundle line: where it came from, why, and its original bytes (base64). */
export interface DeadLetterLine {
  origin: { topic: string; partition: number; offset: string };
  code: string;
  reason: string;
  stage?: string;
  /** When it was dead-lettered. */
  time?: string;
  original_base64: string;
}
