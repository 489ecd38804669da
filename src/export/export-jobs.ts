// Export jobs started over HTTP: each runs in the background into <dir>/<id>/bundle, with its state in
// <dir>/<id>/job.json, so a finished export can still be found and downloaded after a restart.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModtrailError } from '../core/errors.js';
import type { Config } from '../config/schema.js';
import { loadSealKeys, type SealKeyring } from '../integrity/keys.js';
import type { OpenSearchClient } from '../store/opensearch/client.js';
import { bundleFiles, type ExportFormat } from './bundle-layout.js';
import type { ExportSource } from './export-source.js';
import { openSearchExportSource } from './opensearch-export-source.js';
import { removePartialExport, runExport, type ExportPhase, type ExportRequest } from './exporter.js';
import type { ExportFilters } from './filters.js';

export type JobState = 'running' | 'done' | 'failed';

export interface ExportJobStatus {
  id: string;
  state: JobState;
  phase: ExportPhase;
  records: number;
  bytes: number;
  requestedBy: { subject: string; issuer: string };
  createdAt: string;
  finishedAt?: string;
  query: { from: string; to: string; filters: ExportFilters; format: ExportFormat };
  /** The bundle's files, when done. */
  files?: { name: string; bytes: number }[];
  error?: string;
}

export interface ExportJobsOptions {
  dir: string;
  source: ExportSource;
  /** The signing keys, loaded when first needed. */
  keyring: () => Promise<SealKeyring>;
  pageSize: number;
  maxRunning: number;
  onFailure?: (id: string, error: unknown) => void;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const fileNames = new Set<string>(Object.values(bundleFiles));

export class ExportJobs {
  private readonly running = new Map<string, { status: ExportJobStatus; abort: AbortController; done: Promise<void> }>();

  constructor(private readonly options: ExportJobsOptions) {}

  /** Starts a job and returns at once; refused with export.busy when maxRunning jobs are running. */
  async start(request: ExportRequest): Promise<ExportJobStatus> {
    if (this.running.size >= this.options.maxRunning) {
      throw new ModtrailError('export.busy', `${this.running.size} exports are running; try again when one has finished`);
    }
    const id = randomUUID();
    const status: ExportJobStatus = {
      id,
      state: 'running',
      phase: 'seals',
      records: 0,
      bytes: 0,
      requestedBy: { ...request.exporter },
      createdAt: new Date().toISOString(),
      query: { from: request.range.from.toISOString(), to: request.range.to.toISOString(), filters: request.filters, format: request.format },
    };
    await mkdir(join(this.options.dir, id), { recursive: true });
    await this.save(status);
    const abort = new AbortController();
    const done = this.run(status, request, abort.signal);
    this.running.set(id, { status, abort, done });
    return { ...status };
  }

  private async run(status: ExportJobStatus, request: ExportRequest, signal: AbortSignal): Promise<void> {
    const bundle = join(this.options.dir, status.id, 'bundle');
    try {
      const keyring = await this.options.keyring();
      await runExport(request, {
        dir: bundle,
        source: this.options.source,
        keyring,
        pageSize: this.options.pageSize,
        id: status.id,
        signal,
        onProgress: (progress) => Object.assign(status, progress),
      });
      // Files first: a poll must never see "done" without them.
      status.files = await Promise.all(
        (await readdir(bundle)).sort().map(async (name) => ({ name, bytes: (await stat(join(bundle, name))).size })),
      );
      status.finishedAt = new Date().toISOString();
      status.state = 'done';
    } catch (error) {
      await removePartialExport(bundle).catch(() => undefined);
      status.error = error instanceof ModtrailError ? error.message : 'the export failed; the error is logged';
      status.finishedAt = new Date().toISOString();
      status.state = 'failed';
      this.options.onFailure?.(status.id, error);
    } finally {
      // Saved before it leaves the running set, so a poll never reads the stale "running" job.json in between.
      await this.save(status).catch((error: unknown) => this.options.onFailure?.(status.id, error));
      this.running.delete(status.id);
    }
  }

  /** A job's status: live while it runs, from its job.json after; undefined for an unknown id. */
  async get(id: string): Promise<ExportJobStatus | undefined> {
    if (!uuid.test(id)) return undefined;
    const live = this.running.get(id);
    if (live) return { ...live.status };
    const path = join(this.options.dir, id, 'job.json');
    if (!existsSync(path)) return undefined;
    const saved = JSON.parse(await readFile(path, 'utf8')) as ExportJobStatus;
    // Running on disk but not here: the process that ran it is gone.
    if (saved.state === 'running') return { ...saved, state: 'failed', error: 'interrupted: the service stopped while the export ran' };
    return saved;
  }

  /** The path of one bundle file of a finished job, or undefined for a name that is not a bundle file. */
  bundleFile(id: string, name: string): string | undefined {
    if (!uuid.test(id) || !fileNames.has(name)) return undefined;
    return join(this.options.dir, id, 'bundle', name);
  }

  /** Aborts running jobs and waits for them to settle. */
  async stop(): Promise<void> {
    const jobs = [...this.running.values()];
    for (const job of jobs) job.abort.abort(new ModtrailError('export.failed', 'the service stopped while the export ran'));
    await Promise.all(jobs.map((job) => job.done));
  }

  private async save(status: ExportJobStatus): Promise<void> {
    const path = join(this.options.dir, status.id, 'job.json');
    // Written aside and renamed, so a reader never sees half a file.
    await writeFile(`${path}.tmp`, JSON.stringify(status, null, 2));
    await rename(`${path}.tmp`, path);
  }
}

/** The jobs as `modtrail serve` runs them: OpenSearch as the source, the seal keys to sign, `export.*` settings. */
export function exportJobsFromConfig(config: Pick<Config, 'export' | 'integrity' | 'opensearch'>, client: OpenSearchClient, onFailure?: (id: string, error: unknown) => void): ExportJobs {
  const { keys, activeKid } = config.integrity;
  let keyring: Promise<SealKeyring> | undefined;
  return new ExportJobs({
    dir: config.export.dir,
    source: openSearchExportSource(client, config.opensearch.indexPrefix),
    keyring: () => {
      if (keys === undefined) return Promise.reject(new ModtrailError('config.invalid', 'integrity.keys is not set: export manifests cannot be signed'));
      // Loaded once, on the first export; a failed load is tried again next time.
      keyring ??= loadSealKeys(keys, activeKid === undefined ? {} : { activeKid }).catch((error: unknown) => {
        keyring = undefined;
        throw error;
      });
      return keyring;
    },
    pageSize: config.export.pageSize,
    maxRunning: config.export.maxRunning,
    ...(onFailure === undefined ? {} : { onFailure }),
  });
}
