// The API's parameters and answers as zod schemas: routes validate with them and openapi.ts is generated from them.
import { z } from 'zod';
import { auditRecordSchema } from '../core/record-schema.js';
import { goSettingNames } from '../core/go-settings.js';
import { exportFormats } from '../export/bundle-layout.js';
import { exportFiltersSchema } from '../export/filters.js';

const value = z.string().min(1).max(512);
const time = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
const cursor = z.string().min(1).max(4096);

/** `limit` is capped by configuration: asking for more is a 400, not a silent truncation. */
export const pageParams = (maxPageSize: number) => ({
  limit: z.coerce.number().int().min(1).max(maxPageSize).optional(),
  cursor: cursor.optional(),
});

const rangeParams = { from: time.optional(), to: time.optional() };
const outcome = z.enum(['success', 'failure', 'unknown']);
const severity = z.coerce.number().int().min(1).max(5);

export const downloadsQuery = (max: number) =>
  z.strictObject({
    version: value.optional(),
    user: value.optional(),
    host: value.optional(),
    proxy: value.optional(),
    outcome: outcome.optional(),
    ...rangeParams,
    ...pageParams(max),
  });

export const versionsQuery = z.strictObject({ ...rangeParams });

export const goenvQuery = (max: number) => z.strictObject({ ...rangeParams, ...pageParams(max) });

export const recordsQuery = (max: number) =>
  z.strictObject({
    dataset: value.optional(),
    action: value.optional(),
    user: value.optional(),
    host: value.optional(),
    module: value.optional(),
    version: value.optional(),
    proxy: value.optional(),
    outcome: outcome.optional(),
    rule: value.optional(),
    severity: severity.optional(),
    minSeverity: severity.optional(),
    ...rangeParams,
    ...pageParams(max),
  });

export const alertsQuery = (max: number) =>
  z.strictObject({
    rule: value.optional(),
    minSeverity: severity.optional(),
    module: value.optional(),
    user: value.optional(),
    host: value.optional(),
    ...rangeParams,
    ...pageParams(max),
  });

/** A Go module path as the go command accepts it (letters, digits, - . _ ~ and /), bounded in length. */
export const modulePath = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~+-]+)*$/, 'must be a module path such as golang.org/x/crypto')
  .refine((path) => !path.split('/').some((element) => element === '.' || element === '..'), 'must not contain . or .. elements');
export const hostName = z.string().min(1).max(255).regex(/^[^\s/\\]+$/, 'must be a host name');

// Answers.

const page = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), nextCursor: z.string().optional() });

export const recordPage = page(auditRecordSchema);

export const versionsAnswer = z.strictObject({
  module: z.string(),
  versions: z.array(
    z.strictObject({
      version: z.string(),
      firstSeen: z.string(),
      lastSeen: z.string(),
      downloads: z.int().nonnegative(),
      distinctUsers: z.int().nonnegative(),
      distinctHosts: z.int().nonnegative(),
    }),
  ),
});

const settingName = z.enum(goSettingNames);

export const goenvAnswer = z.strictObject({
  host: z.string(),
  current: z.array(
    z.strictObject({
      name: settingName,
      /** Absent when the setting is unset (the go command then uses its default). */
      value: z.string().optional(),
      since: z.string(),
      recordId: z.string(),
    }),
  ),
  baseline: z.strictObject({
    approvedGoproxy: z.array(z.string()),
    approvedGosumdb: z.array(z.string()),
    goproxyAllowDirect: z.boolean(),
    privateModules: z.array(z.string()),
  }),
  /** Each current setting the policy flags, with the rules it breaks. */
  deviations: z.array(z.strictObject({ name: settingName, value: z.string().optional(), rules: z.array(z.string()) })),
  history: recordPage,
});

export const alertItem = z.strictObject({
  id: z.string(),
  '@timestamp': z.string(),
  severity: z.int(),
  fingerprint: z.string(),
  rule: z.strictObject({ id: z.array(z.string()), name: z.array(z.string()), version: z.string().optional() }),
  recordId: z.string(),
  package: z.strictObject({ name: z.string(), version: z.string().optional() }).optional(),
  user: z.strictObject({ name: z.string() }).optional(),
  host: z.strictObject({ name: z.string() }).optional(),
  /** The delivery status as the notifier stored it. */
  delivery: z.record(z.string(), z.unknown()).optional(),
});
export const alertPage = page(alertItem);

export const ingestAnswer = z.strictObject({
  topic: z.string(),
  partition: z.int().nonnegative(),
  accepted: z.int().nonnegative(),
  rejected: z.int().nonnegative(),
  results: z.array(
    z.union([
      z.strictObject({ line: z.int().positive(), status: z.literal('accepted'), id: z.string(), offset: z.string() }),
      z.strictObject({ line: z.int().positive(), status: z.literal('rejected'), offset: z.string(), code: z.string(), reason: z.string() }),
    ]),
  ),
});

export const reloadAnswer = z.union([
  z.strictObject({ ok: z.literal(true), revision: z.string() }),
  z.strictObject({ ok: z.literal(false), error: z.string() }),
]);

export const healthAnswer = z.strictObject({ status: z.literal('ok') });

export const jwksAnswer = z.strictObject({ keys: z.array(z.record(z.string(), z.unknown())) });

export const problemAnswer = z.strictObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
});

/** An export job as GET /v1/exports/{id} (and POST /v1/exports) answer it (src/api/routes/exports.ts `view`). */
export const exportJobAnswer = z.strictObject({
  id: z.uuid(),
  state: z.enum(['running', 'done', 'failed']),
  phase: z.enum(['seals', 'records', 'context', 'dead_letters', 'signing', 'done']),
  records: z.int().nonnegative(),
  bytes: z.int().nonnegative(),
  requestedBy: z.strictObject({ subject: z.string(), issuer: z.string() }),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
  query: z.strictObject({ from: z.iso.datetime(), to: z.iso.datetime(), filters: exportFiltersSchema, format: z.enum(exportFormats) }),
  /** The bundle's files, once done. */
  files: z.array(z.strictObject({ name: z.string(), bytes: z.int().nonnegative() })).optional(),
  error: z.string().optional(),
  links: z.strictObject({ self: z.string(), download: z.string().optional(), manifest: z.string().optional() }),
});
