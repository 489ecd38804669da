// Runs one export: seals, records (JSON lines, and CSV or OCSF when asked), boundary records, dead letters, keys, then the
// signed manifest last, so a directory with a manifest is a finished export. Memory stays flat: records stream
// page by page from the store to disk; only the seals' offset ranges are held.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../integrity/digest.js';
import { publicJwks, type SealKeyring } from '../integrity/keys.js';
import type { AuditRecord } from '../core/record.js';
import type { TimeRange } from '../store/audit-store.js';
import { bundleFiles, type DeadLetterLine, type ExportFormat } from './bundle-layout.js';
import { csvHeader, csvRow } from './csv.js';
import type { ExportSource, StoredRecordJson, StoredSeal } from './export-source.js';
import { isUnfiltered, type ExportFilters } from './filters.js';
import { HashingFile, type WrittenFile } from './hashing-file.js';
import { signManifest, type Manifest } from './manifest.js';
import { modtrailVersion } from './modtrail-version.js';
import { ocsfLineOf } from './ocsf-lines.js';
import { StreamRanges } from './stream-ranges.js';

export type { ExportFormat } from './bundle-layout.js';

export interface ExportRequest {
  range: TimeRange;
  filters: ExportFilters;
  format: ExportFormat;
  /** Who asked: a token's subject and issuer, or the local user for the command line. */
  exporter: { subject: string; issuer: string };
}

export type ExportPhase = 'seals' | 'records' | 'context' | 'dead_letters' | 'signing' | 'done';

export interface ExportProgress {
  phase: ExportPhase;
  records: number;
  bytes: number;
}

export interface ExportOptions {
  /** The bundle directory: created, or an existing empty one. */
  dir: string;
  source: ExportSource;
  keyring: SealKeyring;
  pageSize?: number;
  id?: string;
  now?: () => Date;
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
}

export interface ExportResult {
  manifest: Manifest;
  manifestJws: string;
}

export async function runExport(request: ExportRequest, options: ExportOptions): Promise<ExportResult> {
  const { dir, source, keyring } = options;
  const pageSize = options.pageSize ?? 1000;
  const now = options.now ?? (() => new Date());
  const { range, filters, format } = request;
  const unfiltered = isUnfiltered(filters);
  // The version the manifest names is the one the OCSF events carry, so a verifier can make the same lines again.
  const version = modtrailVersion();
  const ocsfLine = (record: AuditRecord) => ocsfLineOf(record, version);
  await prepareDirectory(dir);

  let records = 0;
  let written = 0;
  const open: HashingFile[] = [];
  const file = (name: string) => {
    const handle = new HashingFile(join(dir, name), name);
    open.push(handle);
    return handle;
  };
  const report = (phase: ExportPhase) => options.onProgress?.({ phase, records, bytes: written + open.reduce((sum, f) => sum + f.bytesWritten, 0) });
  const checkAbort = () => options.signal?.throwIfAborted();
  let closeRecordPages: (() => unknown) | undefined;

  try {
    const files: WrittenFile[] = [];
    const finish = async (handle: HashingFile) => {
      const done = await handle.close();
      open.splice(open.indexOf(handle), 1);
      written += done.bytes;
      files.push(done);
      return done;
    };

    // OpenSearch prepares the first page of records (refresh, point in time, search) while the seals are read.
    const recordPages = source.records.scan(range, filters, pageSize)[Symbol.asyncIterator]();
    const firstPage = recordPages.next();
    firstPage.catch(() => undefined);
    closeRecordPages = () => recordPages.return?.();

    report('seals');
    // Only each seal's facts stay in memory; its JWS (every entry) goes straight to disk.
    const seals: SealSummary[] = [];
    const sealsFile = file(bundleFiles.seals);
    for await (const page of source.seals.sealsCovering(range)) {
      checkAbort();
      await sealsFile.write(page.map((seal) => `${seal.jws}\n`).join(''));
      for (const { jws, stream, sequence, offsets, time } of page) seals.push({ stream, sequence, offsets, time, hash: sealPayloadHash(jws) });
    }
    await finish(sealsFile);
    // Which offsets the bundle's seals cover, to count what no seal in it accounts for.
    const coverage = new StreamRanges<{ first: bigint; last: bigint }>();
    for (const { stream, offsets } of seals) coverage.add(stream, { first: BigInt(offsets.first), last: BigInt(offsets.last) });

    report('records');
    const jsonl = file(bundleFiles.records);
    const csv = format === 'csv' ? file(bundleFiles.recordsCsv) : undefined;
    const ocsf = format === 'ocsf' ? file(bundleFiles.recordsOcsf) : undefined;
    await csv?.write(csvHeader());
    let unsealed = 0;
    let lastReport = 0;
    for (let next = await firstPage; next.done !== true; next = await recordPages.next()) {
      const page = next.value;
      checkAbort();
      await jsonl.write(Buffer.concat(page.flatMap(storedLine)));
      if (csv || ocsf) {
        const parsed = page.map(({ json }) => JSON.parse(json.toString('utf8')) as AuditRecord);
        if (csv) await csv.write(parsed.map(csvRow).join(''));
        if (ocsf) await ocsf.write(parsed.map(ocsfLine).join(''));
      }
      for (const { origin } of page) if (coverage.find(origin) === undefined) unsealed++;
      records += page.length;
      if (records - lastReport >= pageSize * 10) {
        lastReport = records;
        report('records');
      }
    }
    await finish(jsonl);
    if (csv) await finish(csv);
    if (ocsf) await finish(ocsf);

    // Unfiltered: the bundle's seals must be checkable whole, so their records outside the range come along.
    let context = 0;
    if (unfiltered) {
      report('context');
      const contextFile = file(bundleFiles.context);
      for (const seal of seals) {
        if (!straddles(seal, range)) continue;
        for await (const page of source.records.sealedOutside(seal.stream, seal.offsets, range, pageSize)) {
          checkAbort();
          await contextFile.write(page.map(jsonLine).join(''));
          context += page.length;
        }
      }
      await finish(contextFile);
    }

    report('dead_letters');
    const lettersFile = file(bundleFiles.deadLetters);
    let deadLetters = 0;
    for (const seal of seals) {
      for await (const page of source.deadLetters.inOffsets(seal.stream, seal.offsets, pageSize)) {
        await lettersFile.write(page.map(jsonLine).join(''));
        deadLetters += page.length;
      }
    }
    for await (const page of source.deadLetters.inTime(range, pageSize)) {
      // Those the seals cover are in already; these are the range's dead letters no seal covers yet.
      const unsealedLetters = page.filter((letter: DeadLetterLine) => coverage.find(letter.origin) === undefined);
      await lettersFile.write(unsealedLetters.map(jsonLine).join(''));
      deadLetters += unsealedLetters.length;
    }
    await finish(lettersFile);

    const jwksText = `${JSON.stringify(publicJwks(keyring), null, 2)}\n`;
    await writeFile(join(dir, bundleFiles.jwks), jwksText, { flag: 'wx' });
    files.push({ name: bundleFiles.jwks, sha256: sha256Hex(jwksText), bytes: Buffer.byteLength(jwksText), lines: jwksText.split('\n').length - 1 });

    report('signing');
    const manifest: Manifest = {
      version: 1,
      id: options.id ?? randomUUID(),
      created_at: now().toISOString(),
      modtrail_version: version,
      exporter: { subject: request.exporter.subject, issuer: request.exporter.issuer },
      query: { from: range.from.toISOString(), to: range.to.toISOString(), filters: { ...filters }, format },
      completeness: unfiltered ? 'complete' : 'inclusion',
      records: { count: records, unsealed, context },
      dead_letters: deadLetters,
      files: files.sort((a, b) => a.name.localeCompare(b.name)),
      seals: seals.map(({ stream, sequence, offsets, hash }) => ({ stream, sequence, offsets, hash })),
    };
    const manifestJws = await signManifest(manifest, keyring.active);
    await writeFile(join(dir, bundleFiles.manifest), `${manifestJws}\n`, { flag: 'wx' });
    report('done');
    return { manifest, manifestJws };
  } catch (error) {
    // A scan stopped early still holds its point in time until its generator is closed.
    await Promise.resolve(closeRecordPages?.()).catch(() => undefined);
    await Promise.all(open.map((handle) => handle.abort()));
    throw error;
  }
}

type SealSummary = Omit<StoredSeal, 'jws'> & { hash: string };

const jsonLine = (value: unknown): string => `${JSON.stringify(value)}\n`;

const lineFeed = Buffer.from('\n');

/** A stored record as one line, its bytes as stored; JSON that spans lines (not written by modtrail) is re-serialized. */
const storedLine = ({ json }: StoredRecordJson): Buffer[] =>
  json.includes(0x0a) || json.includes(0x0d) ? [Buffer.from(jsonLine(JSON.parse(json.toString('utf8'))))] : [json, lineFeed];

/** Whether a seal's records may lie partly outside the range (so its other records must come along). */
function straddles(seal: SealSummary, range: TimeRange): boolean {
  if (seal.time === null) return false;
  return Date.parse(seal.time.from) < range.from.getTime() || Date.parse(seal.time.to) >= range.to.getTime();
}

/** The seal's hash as the chain knows it: SHA-256 of its JWS payload bytes (the canonical JSON). */
function sealPayloadHash(jws: string): string {
  const payload = Buffer.from(jws.split('.')[1] ?? '', 'base64url');
  return sha256Hex(payload);
}

async function prepareDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries = await readdir(dir);
  if (entries.length > 0) throw new Error(`export directory ${dir} is not empty`);
}

/** Removes a failed export's partial files (never a directory that held anything else). */
export async function removePartialExport(dir: string): Promise<void> {
  const names = new Set<string>(Object.values(bundleFiles));
  for (const name of await readdir(dir).catch(() => [] as string[])) if (names.has(name)) await rm(join(dir, name), { force: true });
}
