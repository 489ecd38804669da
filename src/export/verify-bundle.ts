// Offline verification of an export bundle with public keys only: the manifest's signature, every file's digest,
// every seal's signature and chain links, every record against its seal entry, and (unfiltered) completeness.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { deadLetterHash } from '../integrity/entry-hash.js';
import { streamName } from '../integrity/problems.js';
import { present, type BundleCheck } from './bundle-check.js';
import { bundleFiles, type DeadLetterLine } from './bundle-layout.js';
import { fileDigest, fileLines } from './bundle-reading.js';
import { checkRecords } from './check-records.js';
import { checkSeals } from './check-seals.js';
import type { ExportProblem } from './export-problems.js';
import { isUnfiltered } from './filters.js';
import { verifyManifestJws, type Manifest } from './manifest.js';

export interface BundleVerification {
  /** The manifest as verified, or as claimed when its signature failed; undefined when it cannot be read at all. */
  manifest?: Manifest;
  manifestVerified: boolean;
  problems: ExportProblem[];
  /** Facts an auditor should read that are not tampering: unsealed records, explicit gaps, what inclusion means. */
  notices: string[];
  checked: { records: number; sealedRecords: number; contextRecords: number; seals: number; deadLetters: number };
}

export interface BundleVerifyOptions {
  /** Explicit gaps (offsets a seal names as holding no message, with the reason) are notes, not problems. */
  allowGaps?: boolean;
}

export async function verifyBundle(dir: string, jwks: JSONWebKeySet, options: BundleVerifyOptions = {}): Promise<BundleVerification> {
  const problems: ExportProblem[] = [];
  const notices: string[] = [];
  const checked = { records: 0, sealedRecords: 0, contextRecords: 0, seals: 0, deadLetters: 0 };
  const result = (manifest: Manifest | undefined, manifestVerified: boolean): BundleVerification => ({
    ...(manifest === undefined ? {} : { manifest }),
    manifestVerified,
    problems,
    notices,
    checked,
  });

  // 1. The manifest: everything else is judged against it.
  const manifestPath = join(dir, bundleFiles.manifest);
  if (!existsSync(manifestPath)) {
    problems.push({ kind: 'file_missing', file: bundleFiles.manifest, detail: `${bundleFiles.manifest} is missing: nothing in the bundle can be verified` });
    return result(undefined, false);
  }
  const verification = await verifyManifestJws((await readFile(manifestPath, 'utf8')).trim(), jwks);
  let manifest: Manifest;
  if (verification.ok) manifest = verification.manifest;
  else {
    problems.push({ kind: 'manifest_invalid', file: bundleFiles.manifest, detail: `the manifest does not verify: ${verification.failure}: ${verification.reason}` });
    if (verification.claimed === undefined) return result(undefined, false);
    manifest = verification.claimed;
    notices.push('the checks below are against what the unverified manifest claims');
  }

  // What completeness may be claimed follows from the filters, not from the manifest's word.
  if (isUnfiltered(manifest.query.filters) !== (manifest.completeness === 'complete')) {
    problems.push({ kind: 'manifest_invalid', file: bundleFiles.manifest, detail: `the manifest claims completeness "${manifest.completeness}" for ${isUnfiltered(manifest.query.filters) ? 'an unfiltered' : 'a filtered'} export` });
  }

  // 2. Every file against its digest; nothing unlisted.
  const listed = new Map(manifest.files.map((file) => [file.name, file]));
  for (const file of manifest.files) {
    const path = join(dir, file.name);
    if (!existsSync(path)) {
      problems.push({ kind: 'file_missing', file: file.name, detail: `${file.name} is listed in the manifest but missing` });
      continue;
    }
    const actual = await fileDigest(path);
    if (actual.sha256 !== file.sha256 || actual.bytes !== file.bytes || actual.lines !== file.lines) {
      problems.push({
        kind: 'file_modified',
        file: file.name,
        detail: `${file.name} changed after signing: SHA-256 ${actual.sha256} (${actual.bytes} bytes, ${actual.lines} lines), the manifest says ${file.sha256} (${file.bytes} bytes, ${file.lines} lines)`,
      });
    }
  }
  for (const name of await readdir(dir)) {
    if (name !== bundleFiles.manifest && !listed.has(name)) problems.push({ kind: 'file_unexpected', file: name, detail: `${name} is in the bundle but not in the manifest` });
  }

  // 3. Seals (check-seals.ts), then 4. records and CSV rows (check-records.ts), against the seals' entries.
  const check: BundleCheck = { dir, manifest, problems, notices, checked, allowGaps: options.allowGaps === true };
  const index = await checkSeals(check, jwks);
  await checkRecords(check, index);

  // 5. Dead letters, against their entries.
  if (present(check, bundleFiles.deadLetters)) {
    for await (const { line, text } of fileLines(join(dir, bundleFiles.deadLetters))) {
      let letter: DeadLetterLine;
      try {
        letter = JSON.parse(text) as DeadLetterLine;
        if (typeof letter.origin?.offset !== 'string' || typeof letter.original_base64 !== 'string') throw new Error('not a dead letter');
      } catch {
        problems.push({ kind: 'record_malformed', file: bundleFiles.deadLetters, line, detail: `${bundleFiles.deadLetters} line ${line} is not a dead letter` });
        continue;
      }
      checked.deadLetters++;
      const ref = index.find(letter.origin);
      if (ref === undefined) continue; // unsealed: nothing to check it against
      const stream = { topic: letter.origin.topic, partition: letter.origin.partition };
      const sequence = ref.seal.sequence;
      const where = { file: bundleFiles.deadLetters, line, stream, offsets: { first: letter.origin.offset, last: letter.origin.offset }, sequence };
      if (index.kind(ref) !== 'dead_letter' || index.markSeen(ref)) {
        problems.push({ ...where, kind: 'record_inserted', detail: `${bundleFiles.deadLetters} line ${line}: a dead letter for ${streamName(stream)} offset ${letter.origin.offset}, which seal ${sequence} does not have as a dead letter (or has already matched)` });
        continue;
      }
      const hash = deadLetterHash({ origin: letter.origin, original: Buffer.from(letter.original_base64, 'base64'), code: letter.code, reason: letter.reason });
      if (hash !== index.hash(ref)) problems.push({ ...where, kind: 'record_modified', detail: `${bundleFiles.deadLetters} line ${line}: the dead letter for ${streamName(stream)} offset ${letter.origin.offset} does not match seal ${sequence} (bytes, code or reason changed)` });
    }
  }

  // 6. Completeness: what the seals name and the bundle lacks (judged by the filters, whatever the manifest claims).
  const complete = isUnfiltered(manifest.query.filters);
  let notExported = 0;
  for (const entry of index.unseen()) {
    if (entry.kind === 'gap') continue;
    const { stream, sequence, offset } = entry;
    const where = { stream, sequence, offsets: { first: offset, last: offset } };
    const at = `${streamName(stream)} offset ${offset}`;
    if (entry.kind === 'dead_letter') {
      problems.push({ ...where, kind: 'record_deleted', file: bundleFiles.deadLetters, detail: `the dead letter for ${at} (${entry.code}), sealed in seal ${sequence}, is not in the bundle` });
    } else if (complete) {
      problems.push({ ...where, kind: 'record_deleted', recordId: entry.id, file: bundleFiles.records, detail: `record ${entry.id} at ${at}, sealed in seal ${sequence}, is not in the bundle` });
    } else notExported++;
  }
  if (!complete) {
    notices.push(
      `filtered export: inclusion only. Every record here is proven sealed and unchanged, but completeness cannot be proven: ${notExported} records sealed in the bundle's seals are not here, and the bundle cannot show whether each was left out by the filters or removed`,
    );
  }
  return result(manifest, verification.ok);
}
