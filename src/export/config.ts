import { z } from 'zod';

export const exportConfigSchema = z
  .strictObject({
    /** Where export jobs started over HTTP write their bundles, one subdirectory per job. */
    dir: z.string().min(1).default('exports'),
    /** Records (and seals, dead letters) read from the store per page; memory grows with this, not with the export. */
    pageSize: z.number().int().min(10).max(10_000).default(1000),
    /** Export jobs running at once over HTTP; more are refused with 503 until one finishes. */
    maxRunning: z.number().int().min(1).max(16).default(2),
  })
  .prefault({});

export type ExportConfig = z.infer<typeof exportConfigSchema>;
