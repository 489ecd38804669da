import { z } from 'zod';

/** Where the compiled policy and its data live; relative paths resolve against the process cwd. */
export const opaConfigSchema = z
  .strictObject({
    /** Holds policy.wasm and manifest.json, as written by `npm run build:policies`. */
    bundleDir: z.string().min(1).default('policies/bundle'),
    /** Loaded with setData at start, so the allowlist changes without recompiling the policy. */
    dataFile: z.string().min(1).default('policies/data/default.json'),
    /** Watch the bundle and data for changes and swap them in without a restart. */
    watch: z.boolean().default(true),
  })
  .prefault({});

export type OpaConfig = z.infer<typeof opaConfigSchema>;
