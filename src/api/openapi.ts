// The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with, so they cannot drift apart.
import { z } from 'zod';
import { bundleFiles } from '../export/bundle-layout.js';
import { ingestFormats } from './ingest/ingest-lines.js';
import { exportBody } from './routes/exports.js';
import {
  alertPage,
  alertsQuery,
  downloadsQuery,
  exportJobAnswer,
  goenvAnswer,
  goenvQuery,
  healthAnswer,
  ingestAnswer,
  jwksAnswer,
  problemAnswer,
  recordPage,
  recordsQuery,
  reloadAnswer,
  versionsAnswer,
  versionsQuery,
} from './schemas.js';

type JsonSchema = Record<string, unknown>;

/** The page-size cap the document states; the served document uses the configured one. */
export const documentedMaxPageSize = 500;

const schemaOf = (schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const { properties = {} } = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema> };
  return Object.entries(properties).map(([name, property]) => ({ name, in: 'query', required: false, schema: property }));
}

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema: schemaOf(schema) } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const refused = { '401': problem('No or bad bearer token'), '403': problem('The token lacks the role') };
const badInput = { '400': problem('Malformed or unknown parameter, or a bad cursor'), '410': problem('The cursor expired'), '503': problem('Store unavailable') };
const secured = [{ bearer: [] }];

const exportIdParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
/** A file's bytes, documented as such: the check in testing/openapi-check.ts takes any body for it. */
const binary = { type: 'string', contentMediaType: 'application/octet-stream' };

const moduleParameter = {
  name: 'module',
  in: 'path',
  required: true,
  description: 'Module path; its slashes may be written as is (golang.org/x/crypto) or as %2F',
  schema: { type: 'string' },
  example: 'golang.org/x/crypto',
};

/** The whole document for the given page-size cap. */
export function openApiDocument(maxPageSize = documentedMaxPageSize): object {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'modtrail API',
      version: '1',
      description: 'Module-download history, record search, alerts and HTTP ingest for Go module proxies and Go settings. Every use is audited.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: schemaOf(problemAnswer) },
    },
    paths: {
      '/v1/modules/{module}/downloads': {
        get: {
          summary: 'Download history of one module, newest first (roles: analyst, auditor, admin)',
          security: secured,
          parameters: [moduleParameter, ...queryParameters(downloadsQuery(maxPageSize))],
          responses: { '200': json(recordPage, 'One page of download records'), ...badInput, ...refused },
        },
      },
      '/v1/modules/{module}/versions': {
        get: {
          summary: 'Every version fetched, first and last seen, distinct users and hosts (roles: analyst, auditor, admin)',
          security: secured,
          parameters: [moduleParameter, ...queryParameters(versionsQuery)],
          responses: { '200': json(versionsAnswer, 'Versions, most recently seen first'), ...badInput, ...refused },
        },
      },
      '/v1/hosts/{host}/goenv': {
        get: {
          summary: "A host's Go-settings history, current settings and deviations from the approved baseline (roles: analyst, auditor, admin)",
          security: secured,
          parameters: [{ name: 'host', in: 'path', required: true, schema: { type: 'string' } }, ...queryParameters(goenvQuery(maxPageSize))],
          responses: { '200': json(goenvAnswer, 'Current settings, deviations, and one page of history'), ...badInput, ...refused },
        },
      },
      '/v1/records': {
        get: {
          summary: 'Search records by typed filters, newest first (roles: analyst, auditor, admin)',
          security: secured,
          parameters: queryParameters(recordsQuery(maxPageSize)),
          responses: { '200': json(recordPage, 'One page of records'), ...badInput, ...refused },
        },
      },
      '/v1/alerts': {
        get: {
          summary: 'Alerts with their delivery status as stored, newest first (roles: analyst, auditor, admin)',
          security: secured,
          parameters: queryParameters(alertsQuery(maxPageSize)),
          responses: { '200': json(alertPage, 'One page of alerts'), ...badInput, ...refused },
        },
      },
      '/v1/events': {
        post: {
          summary: 'HTTP ingest: JSON lines, each an agent event, or a proxy line with Modtrail-Format (role: ingest, admin)',
          security: secured,
          parameters: [
            { name: 'Modtrail-Format', in: 'header', required: false, schema: { type: 'string', enum: [...ingestFormats], default: 'agent' } },
            { name: 'Modtrail-Observer', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' } },
          ],
          requestBody: { required: true, content: { 'application/x-ndjson': { schema: { type: 'string' } } } },
          responses: {
            '202': json(ingestAnswer, 'Every line written to Kafka; per line the id it will be stored under, or why it will be dead-lettered'),
            '400': problem('No lines, or a bad header'),
            '413': problem('Body or line count over the limit'),
            '415': problem('Not JSON lines'),
            '503': problem('Kafka unavailable: nothing was accepted'),
            ...refused,
          },
        },
      },
      '/v1/admin/policy/reload': {
        post: {
          summary: 'Reload the policy bundle and data now (role: admin)',
          security: secured,
          responses: { '200': json(reloadAnswer, 'Loaded'), '409': json(reloadAnswer, 'Refused: the old policy stays'), ...refused },
        },
      },
      // Exports (src/api/routes/exports.ts; docs/EXPORTS.md).
      '/v1/exports': {
        post: {
          summary: 'Start a signed compliance export of a time range and filters (roles: auditor, admin)',
          description: 'Answers 202 with the job and Location: /v1/exports/{id}. Filters as in GET /v1/records; unknown members are a 400.',
          security: secured,
          requestBody: { required: true, content: { 'application/json': { schema: schemaOf(exportBody, 'input') } } },
          responses: {
            '202': json(exportJobAnswer, 'Started; Location names the job'),
            '400': problem('Bad range, format or filters'),
            '413': problem('Body over 16 kB'),
            '503': problem('Too many exports running'),
            ...refused,
          },
        },
      },
      '/v1/exports/{id}': {
        get: {
          summary: "An export's state and progress (roles: auditor, admin; an auditor sees only the exports it started)",
          security: secured,
          parameters: [exportIdParameter],
          responses: { '200': json(exportJobAnswer, 'The job'), '404': problem('No such export, or not yours'), ...refused },
        },
      },
      '/v1/exports/{id}/download': {
        get: {
          summary: 'The finished bundle as a POSIX tar stream, entries under modtrail-export-{id}/ (roles: auditor, admin)',
          security: secured,
          parameters: [exportIdParameter],
          responses: {
            '200': { description: 'The bundle', content: { 'application/x-tar': { schema: binary } } },
            '404': problem('No such export, or not yours'),
            '409': problem('Still running'),
            '500': problem('The export failed'),
            ...refused,
          },
        },
      },
      '/v1/exports/{id}/download/{file}': {
        get: {
          summary: 'One file of a finished bundle (roles: auditor, admin)',
          security: secured,
          parameters: [exportIdParameter, { name: 'file', in: 'path', required: true, schema: { type: 'string', enum: Object.values(bundleFiles) } }],
          responses: {
            '200': {
              description: 'The file: JSON lines, CSV, a compact JWS (manifest.jws, seals.jws) or the exporter\'s JWKS (jwks.json)',
              content: { ...Object.fromEntries(['application/x-ndjson', 'text/csv', 'application/jose'].map((type) => [type, { schema: binary }])), 'application/json': { schema: schemaOf(jwksAnswer) } },
            },
            '404': problem('No such export or file'),
            '409': problem('Still running'),
            '500': problem('The export failed'),
            ...refused,
          },
        },
      },
      '/.well-known/jwks.json': {
        get: { summary: 'Public keys of the seals (and signed manifests)', responses: { '200': json(jwksAnswer, 'JWKS') } },
      },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      '/healthz': { get: { summary: 'Liveness (not audited)', responses: { '200': json(healthAnswer, 'Serving') } } },
    },
  };
}
