// POST /v1/exports → poll → download, with roles and ownership, against an in-memory store.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFixture, memorySource, type ExportFixture } from '../../../test/integration/export-fixture.js';
import { bundleFiles } from '../../export/bundle-layout.js';
import { ExportJobs, type ExportJobStatus } from '../../export/export-jobs.js';
import type { ExportSource } from '../../export/export-source.js';
import { verifyBundle } from '../../export/verify-bundle.js';
import { publicJwks } from '../../integrity/keys.js';
import { createLogger } from '../../telemetry/logger.js';
import type { Principal } from '../auth/principal.js';
import { problemErrors } from '../error-handler.js';
import { openApiDocument } from '../openapi.js';
import { responseProblems } from '../testing/openapi-check.js';
import { exportRoutes } from './exports.js';

const auditor: Principal = { subject: 'alice', roles: ['auditor'], issuer: 'https://idp.example' };
const otherAuditor: Principal = { subject: 'bob', roles: ['auditor'], issuer: 'https://idp.example' };
const admin: Principal = { subject: 'root', roles: ['admin'], issuer: 'https://idp.example' };
const analyst: Principal = { subject: 'carol', roles: ['analyst'], issuer: 'https://idp.example' };
const body = { from: '2026-03-01T10:05:00Z', to: '2026-03-01T10:25:00Z' };

let fixture: ExportFixture;
let work: string;
const servers: Server[] = [];

/** The app with a stand-in for authentication: the principal comes from a test header. */
async function serve(source: ExportSource, maxRunning = 2): Promise<{ url: string; jobs: ExportJobs }> {
  const jobs = new ExportJobs({ dir: await mkdtemp(join(work, 'jobs-')), source, keyring: async () => fixture.keyring, pageSize: 5, maxRunning });
  const app = express();
  app.use((req, res, next) => {
    const header = req.header('x-test-principal');
    if (header) res.locals.principal = JSON.parse(header) as Principal;
    next();
  });
  app.use(exportRoutes({ jobs }));
  app.use(problemErrors(createLogger('silent')));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, jobs };
}

const call = (url: string, principal: Principal | undefined, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(principal ? { 'x-test-principal': JSON.stringify(principal) } : {}), ...(init.headers ?? {}) } });

const document = openApiDocument();

/** The answer is what /openapi.json documents for this operation: status, media type and (JSON) schema. */
async function conforms(response: Response, template: string, method = 'GET'): Promise<void> {
  const type = response.headers.get('content-type') ?? '';
  const bytes = new Uint8Array(await response.clone().arrayBuffer());
  const media = type.split(';', 1)[0]!.trim();
  const body = media === 'application/json' || media.endsWith('+json') ? JSON.parse(Buffer.from(bytes).toString('utf8')) : bytes;
  expect(responseProblems(document, template, method, response.status, type, body), response.url).toEqual([]);
}

async function until(url: string, id: string, state: string): Promise<ExportJobStatus> {
  for (let i = 0; i < 200; i++) {
    const status = (await (await call(`${url}/v1/exports/${id}`, auditor)).json()) as ExportJobStatus;
    if (status.state === state) return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`export ${id} never reached ${state}`);
}

beforeAll(async () => {
  fixture = await exportFixture();
  work = await mkdtemp(join(tmpdir(), 'modtrail-export-api-'));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await rm(work, { recursive: true, force: true });
});

describe('export routes', () => {
  it('needs an auditor and a valid body', async () => {
    const { url } = await serve(memorySource(fixture));
    const anonymous = await call(`${url}/v1/exports`, undefined, { method: 'POST', body: JSON.stringify(body) });
    expect(anonymous.status).toBe(401);
    await conforms(anonymous, '/v1/exports', 'POST');
    const refused = await call(`${url}/v1/exports`, analyst, { method: 'POST', body: JSON.stringify(body) });
    expect(refused.status).toBe(403);
    await conforms(refused, '/v1/exports', 'POST');
    const backwards = await call(`${url}/v1/exports`, auditor, { method: 'POST', body: JSON.stringify({ from: body.to, to: body.from }) });
    expect(backwards.status).toBe(400);
    expect(backwards.headers.get('content-type')).toContain('application/problem+json');
    await conforms(backwards, '/v1/exports', 'POST');
    expect((await call(`${url}/v1/exports`, auditor, { method: 'POST', body: '{"from": ' })).status).toBe(400);
    const large = await call(`${url}/v1/exports`, auditor, { method: 'POST', body: JSON.stringify({ ...body, pad: 'x'.repeat(20_000) }) });
    expect(large.status).toBe(413);
    await conforms(large, '/v1/exports', 'POST');
    const unknown = await call(`${url}/v1/exports`, auditor, { method: 'POST', body: JSON.stringify({ ...body, query: { match_all: {} } }) });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { detail: string }).detail).toContain('query');
  });

  it('runs the export, reports progress, and serves a tar that verifies offline, naming the caller as exporter', async () => {
    const { url } = await serve(memorySource(fixture));
    const started = await call(`${url}/v1/exports`, auditor, { method: 'POST', body: JSON.stringify({ ...body, format: 'csv', action: 'module.zip' }) });
    expect(started.status).toBe(202);
    await conforms(started, '/v1/exports', 'POST');
    const { id } = (await started.json()) as ExportJobStatus;
    expect(started.headers.get('location')).toBe(`/v1/exports/${id}`);
    const done = await until(url, id, 'done');
    expect(done.records).toBeGreaterThan(0);
    expect(done.query.filters).toEqual({ actions: ['module.zip'] });
    expect(done.files!.map((f) => f.name)).toContain(bundleFiles.recordsCsv);

    await conforms(await call(`${url}/v1/exports/${id}`, auditor), '/v1/exports/{id}');
    const notYours = await call(`${url}/v1/exports/${id}`, otherAuditor);
    expect(notYours.status).toBe(404);
    await conforms(notYours, '/v1/exports/{id}');
    expect((await call(`${url}/v1/exports/${id}`, admin)).status).toBe(200);
    expect((await call(`${url}/v1/exports/00000000-0000-4000-8000-000000000000`, auditor)).status).toBe(404);

    const tar = await call(`${url}/v1/exports/${id}/download`, auditor);
    expect(tar.status).toBe(200);
    expect(tar.headers.get('content-type')).toBe('application/x-tar');
    await conforms(tar, '/v1/exports/{id}/download');
    const out = join(work, `tar-${id}`);
    await mkdir(out);
    await writeFile(join(out, 'bundle.tar'), Buffer.from(await tar.arrayBuffer()));
    execFileSync('tar', ['-xf', join(out, 'bundle.tar'), '-C', out]);
    const result = await verifyBundle(join(out, `modtrail-export-${id}`), publicJwks(fixture.keyring) as unknown as JSONWebKeySet, { allowGaps: true });
    expect(result.problems).toEqual([]);
    expect(result.manifest!.exporter).toEqual({ subject: auditor.subject, issuer: auditor.issuer });
    expect(result.manifest!.records.count).toBe(done.records);

    const manifest = await call(`${url}/v1/exports/${id}/download/${bundleFiles.manifest}`, auditor);
    await conforms(manifest, '/v1/exports/{id}/download/{file}');
    for (const file of done.files!) await conforms(await call(`${url}/v1/exports/${id}/download/${file.name}`, auditor), '/v1/exports/{id}/download/{file}');
    expect(await manifest.text()).toBe(await readFile(join(out, `modtrail-export-${id}`, bundleFiles.manifest), 'utf8'));
    expect((await call(`${url}/v1/exports/${id}/download/..%2Fjob.json`, auditor)).status).toBe(404);
    expect((await call(`${url}/v1/exports/${id}/download/job.json`, auditor)).status).toBe(404);
  });

  it('answers 409 while running and 503 past the running limit', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const memory = memorySource(fixture);
    const slow: ExportSource = {
      ...memory,
      records: {
        ...memory.records,
        async *scan(range, filters, size) {
          await gate;
          yield* memory.records.scan(range, filters, size);
        },
      },
    };
    const { url, jobs } = await serve(slow, 1);
    const started = (await (await call(`${url}/v1/exports`, auditor, { method: 'POST', body: JSON.stringify(body) })).json()) as ExportJobStatus;
    await conforms(await call(`${url}/v1/exports/${started.id}`, auditor), '/v1/exports/{id}');
    const notReady = await call(`${url}/v1/exports/${started.id}/download`, auditor);
    expect(notReady.status).toBe(409);
    await conforms(notReady, '/v1/exports/{id}/download');
    const busy = await call(`${url}/v1/exports`, auditor, { method: 'POST', body: JSON.stringify(body) });
    expect(busy.status).toBe(503);
    await conforms(busy, '/v1/exports', 'POST');
    release();
    await until(url, started.id, 'done');
    await jobs.stop();
  });
});
