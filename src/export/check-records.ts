// The records of a bundle, streamed: each against its seal entry, the time range and the filters, and, for a CSV
// export, each CSV row against the row its record makes.
import { join } from 'node:path';
import type { AuditRecord } from '../core/record.js';
import { streamName } from '../integrity/problems.js';
import { recordHash } from '../integrity/record-hash.js';
import { present, type BundleCheck } from './bundle-check.js';
import { bundleFiles } from './bundle-layout.js';
import { FileComparer, fileLines } from './bundle-reading.js';
import { csvHeader, csvRow } from './csv.js';
import { inTimeRange, isUnfiltered, matchesFilters } from './filters.js';
import { modtrailVersion } from './modtrail-version.js';
import { ocsfLineOf } from './ocsf-lines.js';
import type { SealEntryIndex } from './seal-entry-index.js';

export async function checkRecords(check: BundleCheck, index: SealEntryIndex): Promise<void> {
  const { manifest } = check;
  const from = new Date(manifest.query.from);
  const to = new Date(manifest.query.to);
  let unsealed = 0;
  const checkFile = async (name: string, inside: boolean, onRecord?: (record: AuditRecord, line: number) => Promise<void>) => {
    if (!present(check, name)) return;
    for await (const { line, text } of fileLines(join(check.dir, name))) {
      let record: AuditRecord;
      try {
        record = JSON.parse(text) as AuditRecord;
        if (typeof record !== 'object' || record === null || typeof record.event?.id !== 'string' || typeof record['@timestamp'] !== 'string') throw new Error('not a record');
      } catch {
        check.problems.push({ kind: 'record_malformed', file: name, line, detail: `${name} line ${line} is not a JSON audit record` });
        continue;
      }
      if (name === bundleFiles.records) check.checked.records++;
      else check.checked.contextRecords++;
      await onRecord?.(record, line);
      const id = record.event.id;
      const where = { file: name, line, recordId: id };
      if (inTimeRange(record, from, to) !== inside) {
        check.problems.push({ ...where, kind: 'record_out_of_range', detail: `${name} line ${line}: record ${id} has @timestamp ${record['@timestamp']}, ${inside ? 'outside' : 'inside'} the exported range ${manifest.query.from}..${manifest.query.to}` });
      }
      if (inside && !matchesFilters(record, manifest.query.filters)) {
        check.problems.push({ ...where, kind: 'record_filter_mismatch', detail: `${name} line ${line}: record ${id} does not pass the export's filters ${JSON.stringify(manifest.query.filters)}` });
      }
      const origin = record.modtrail?.origin;
      let hash: string | undefined;
      try {
        hash = recordHash(record);
      } catch {
        hash = undefined;
      }
      // Every record modtrail writes came from a Kafka offset; one that names none can never be sealed.
      if (typeof origin?.topic !== 'string' || typeof origin.partition !== 'number' || typeof origin.offset !== 'string') {
        check.problems.push({ ...where, kind: 'record_inserted', detail: `${name} line ${line}: record ${id} names no Kafka origin, so no seal can account for it` });
        continue;
      }
      const ref = index.find(origin);
      if (ref === undefined) {
        unsealed++;
        if (hash === undefined || record.event.hash !== hash) {
          check.problems.push({ ...where, kind: 'record_modified', detail: `${name} line ${line}: unsealed record ${id} does not match its own event.hash` });
        }
        continue;
      }
      const sequence = ref.seal.sequence;
      const position = { stream: { topic: origin!.topic, partition: origin!.partition }, offsets: { first: origin!.offset, last: origin!.offset }, sequence };
      const at = `${streamName(position.stream)} offset ${origin!.offset}`;
      const kind = index.kind(ref);
      if (kind !== 'record' || index.id(ref) !== id) {
        const sealedAs = kind === 'record' ? `record ${index.id(ref)}` : kind === 'gap' ? 'a gap' : 'a dead letter';
        check.problems.push({ ...where, ...position, kind: 'record_inserted', detail: `${name} line ${line}: record ${id} claims ${at}, which seal ${sequence} has as ${sealedAs}` });
        continue;
      }
      if (index.markSeen(ref)) {
        check.problems.push({ ...where, ...position, kind: 'record_inserted', detail: `${name} line ${line}: record ${id} (${at}) appears a second time` });
        continue;
      }
      if (name === bundleFiles.records) check.checked.sealedRecords++;
      const sealedHash = index.hash(ref);
      if (hash !== sealedHash) {
        check.problems.push({ ...where, ...position, kind: 'record_modified', detail: `${name} line ${line}: record ${id} (${at}) hashes to ${hash ?? 'nothing (not JSON data)'}, but seal ${sequence} says ${sealedHash}` });
      } else if (record.event.hash !== hash) {
        check.problems.push({ ...where, ...position, kind: 'record_modified', detail: `${name} line ${line}: record ${id} (${at}) matches its seal but its event.hash says ${record.event.hash ?? 'nothing'}` });
      }
    }
  };

  let csv: FileComparer | undefined;
  let csvBroken = false;
  let csvRows = 1;
  if (manifest.query.format === 'csv') {
    if (present(check, bundleFiles.recordsCsv)) {
      csv = new FileComparer(join(check.dir, bundleFiles.recordsCsv));
      if (!(await csv.next(csvHeader()))) {
        csvBroken = true;
        check.problems.push({ kind: 'csv_mismatch', file: bundleFiles.recordsCsv, line: 1, detail: `${bundleFiles.recordsCsv} does not start with the documented header` });
      }
    } else if (!manifest.files.some((file) => file.name === bundleFiles.recordsCsv)) {
      check.problems.push({ kind: 'file_missing', file: bundleFiles.recordsCsv, detail: `a csv export must hold ${bundleFiles.recordsCsv}, and the manifest does not list it` });
    }
  }
  // The OCSF view, like the CSV one: each line must be exactly what the mapping makes of its record.
  let ocsf: FileComparer | undefined;
  let ocsfBroken = false;
  if (manifest.query.format === 'ocsf') {
    if (present(check, bundleFiles.recordsOcsf)) {
      ocsf = new FileComparer(join(check.dir, bundleFiles.recordsOcsf));
      // The lines are remade by this modtrail's mapping; another version's mapping may differ (the evidence does not).
      if (manifest.modtrail_version !== modtrailVersion()) {
        check.notices.push(`${bundleFiles.recordsOcsf} was written by modtrail ${manifest.modtrail_version} and is checked with the OCSF mapping of modtrail ${modtrailVersion()}: if the mapping changed between them, verify with ${manifest.modtrail_version}`);
      }
    }
    else if (!manifest.files.some((file) => file.name === bundleFiles.recordsOcsf)) {
      check.problems.push({ kind: 'file_missing', file: bundleFiles.recordsOcsf, detail: `an ocsf export must hold ${bundleFiles.recordsOcsf}, and the manifest does not list it` });
    }
  }
  const checkOcsf = async (record: AuditRecord, line: number) => {
    if (ocsf === undefined || ocsfBroken) return;
    let expected: string | undefined;
    try {
      expected = ocsfLineOf(record, manifest.modtrail_version);
    } catch {
      expected = undefined;
    }
    if (expected === undefined || !(await ocsf.next(expected))) {
      // As with CSV: after one differing line the rest is out of step; report the first.
      ocsfBroken = true;
      const why = expected === undefined ? 'the OCSF mapping cannot map this record' : `it is not the OCSF event of ${bundleFiles.records} line ${line} (record ${record.event.id}, mapped with modtrail ${manifest.modtrail_version})`;
      check.problems.push({ kind: 'ocsf_mismatch', file: bundleFiles.recordsOcsf, line, recordId: record.event.id, detail: `${bundleFiles.recordsOcsf} line ${line}: ${why}; later lines were not compared` });
    }
  };
  try {
    await checkFile(bundleFiles.records, true, async (record, line) => {
      await checkOcsf(record, line);
      if (csv === undefined || csvBroken) return;
      csvRows++;
      if (!(await csv.next(csvRow(record)))) {
        // After one differing row the rest is out of step: report the first, where an auditor should look.
        csvBroken = true;
        check.problems.push({ kind: 'csv_mismatch', file: bundleFiles.recordsCsv, line: csvRows, recordId: record.event.id, detail: `${bundleFiles.recordsCsv} row ${csvRows} is not the CSV row of ${bundleFiles.records} line ${line} (record ${record.event.id}); later rows were not compared` });
      }
    });
    if (csv !== undefined && !csvBroken && (await csv.hasMore())) {
      check.problems.push({ kind: 'csv_mismatch', file: bundleFiles.recordsCsv, detail: `${bundleFiles.recordsCsv} has rows after the last record of ${bundleFiles.records}` });
    }
    if (ocsf !== undefined && !ocsfBroken && (await ocsf.hasMore())) {
      check.problems.push({ kind: 'ocsf_mismatch', file: bundleFiles.recordsOcsf, detail: `${bundleFiles.recordsOcsf} has lines after the last record of ${bundleFiles.records}` });
    }
  } finally {
    await csv?.close();
    await ocsf?.close();
  }
  if (isUnfiltered(manifest.query.filters)) await checkFile(bundleFiles.context, false);
  if (unsealed > 0) check.notices.push(`${unsealed} records are covered by no seal in the bundle (not yet sealed when exported): they are vouched for by the manifest signature only, not by seals`);
}
