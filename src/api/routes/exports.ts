// Compliance exports over HTTP (role auditor): start a job, watch its progress, download the bundle as a tar or
// one file at a time. The work itself is src/export; this file only speaks HTTP.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { bundleFiles, exportFormats } from '../../export/bundle-layout.js';
import type { ExportJobs, ExportJobStatus } from '../../export/export-jobs.js';
import { exportFiltersSchema, filterTerm, type ExportFilters } from '../../export/filters.js';
import { tarStream } from '../../export/tar-stream.js';
import { hasRole, principalOf, requireRole, type Principal } from '../auth/principal.js';
import { ApiProblem } from '../problem.js';
import { parsed } from '../validate.js';

const filters = exportFiltersSchema.shape;
/** The body of POST /v1/exports: the range, the format, and the GET /v1/records filters (action and rule as there). */
export const exportBody = z
  .strictObject({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    format: z.enum(exportFormats).default('jsonl'),
    dataset: filters.dataset,
    action: z.union([filterTerm, z.array(filterTerm).min(1).max(50)]).optional(),
    user: filters.user,
    host: filters.host,
    module: filters.module,
    version: filters.version,
    proxy: filters.proxy,
    outcome: filters.outcome,
    rule: filters.ruleId,
    severity: filters.severity,
    minSeverity: filters.minSeverity,
  })
  .refine((body) => Date.parse(body.from) < Date.parse(body.to), { error: 'from must be before to', path: ['to'] });

const contentTypes: Record<string, string> = { '.jsonl': 'application/x-ndjson', '.csv': 'text/csv; charset=utf-8', '.jws': 'application/jose', '.json': 'application/json' };

export function exportRoutes(deps: { jobs: ExportJobs }): Router {
  const router = Router();
  const auditor = requireRole('auditor');

  router.post('/v1/exports', auditor, express.json({ limit: '16kb' }), async (req, res) => {
    const { from, to, format, action, rule, ...rest } = parsed(exportBody, req.body ?? {}, 'body');
    const principal = principalOf(res)!;
    const chosen: ExportFilters = Object.fromEntries(Object.entries({ ...rest, actions: action === undefined ? undefined : [action].flat(), ruleId: rule }).filter(([, value]) => value !== undefined));
    const status = await deps.jobs.start({
      range: { from: new Date(from), to: new Date(to) },
      filters: chosen,
      format,
      exporter: { subject: principal.subject, issuer: principal.issuer },
    });
    res.status(202).location(`/v1/exports/${status.id}`).json(view(status));
  });

  router.get('/v1/exports/:id', auditor, async (req, res) => {
    res.json(view(await ownJob(deps.jobs, req.params.id as string, principalOf(res)!)));
  });

  router.get('/v1/exports/:id/download', auditor, async (req, res) => {
    const job = finished(await ownJob(deps.jobs, req.params.id as string, principalOf(res)!));
    const entries = (job.files ?? []).map((file) => ({ name: `modtrail-export-${job.id}/${file.name}`, path: deps.jobs.bundleFile(job.id, file.name)! }));
    res.type('application/x-tar').attachment(`modtrail-export-${job.id}.tar`);
    await send(res, Readable.from(tarStream(entries)));
  });

  router.get('/v1/exports/:id/download/:file', auditor, async (req, res) => {
    const job = finished(await ownJob(deps.jobs, req.params.id as string, principalOf(res)!));
    const name = req.params.file as string;
    const path = job.files?.some((file) => file.name === name) ? deps.jobs.bundleFile(job.id, name) : undefined;
    if (path === undefined) throw new ApiProblem('api.not_found', `Export ${job.id} has no file ${name}; its files are listed in GET /v1/exports/${job.id}.`);
    // attachment() sets a type from the extension (octet-stream for .jws), so ours comes after it.
    res.attachment(name).type(contentTypes[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream');
    res.sendFile(path);
  });

  return router;
}

/** A job as the API shows it: its status and where to go next. */
function view(status: ExportJobStatus) {
  const self = `/v1/exports/${status.id}`;
  return { ...status, links: { self, ...(status.state === 'done' ? { download: `${self}/download`, manifest: `${self}/download/${bundleFiles.manifest}` } : {}) } };
}

/** Only the auditor who started an export (same subject and issuer) or an admin may see it; others get a 404. */
async function ownJob(jobs: ExportJobs, id: string, principal: Principal): Promise<ExportJobStatus> {
  const job = await jobs.get(id);
  const mine = job !== undefined && job.requestedBy.subject === principal.subject && job.requestedBy.issuer === principal.issuer;
  if (job === undefined || !(mine || hasRole(principal, ['admin']))) throw new ApiProblem('api.not_found', `No export ${id}.`);
  return job;
}

function finished(job: ExportJobStatus): ExportJobStatus {
  if (job.state === 'running') throw new ApiProblem('export.not_ready', `Export ${job.id} is still running (${job.phase}, ${job.records} records so far).`);
  if (job.state === 'failed') throw new ApiProblem('export.failed', `Export ${job.id} failed: ${job.error ?? 'unknown error'}.`);
  return job;
}

/** Streams a body; once headers are out an error can only cut the connection, which the client sees as a short read. */
async function send(res: Response, body: Readable): Promise<void> {
  try {
    await pipeline(body, res);
  } catch (error) {
    if (!res.headersSent) throw error;
    res.destroy(error instanceof Error ? error : undefined);
  }
}
