import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { z } from 'zod';
import { ModtrailError } from '../../core/errors.js';

/** The one entrypoint: judges a whole batch, `{records: [...]}` in, one decision per record out. */
export const decisionsEntrypoint = 'modtrail/decisions';

const manifestSchema = z.object({
  revision: z.string().min(1),
  opa_version: z.string().min(1),
  entrypoints: z.array(z.string()),
  source_digest: z.string().regex(/^[0-9a-f]{64}$/),
});

export type BundleManifest = z.infer<typeof manifestSchema>;

/** The slice of the SDK's LoadedPolicy modtrail uses; every failure surfaces as an Error. */
export interface WasmPolicy {
  setData(data: object): void;
  evaluate(input: object, entrypoint: string): unknown;
}

export interface PolicyBundle {
  policy: WasmPolicy;
  manifest: BundleManifest;
}

const rebuild = 'build it with `npm run build:policies`';

/** Loads policy.wasm and manifest.json from a bundle directory written by scripts/build-policies.ts. */
export async function loadPolicyBundle(bundleDir: string): Promise<PolicyBundle> {
  const dir = resolve(bundleDir);
  const manifest = parseManifest(await readBundleFile(join(dir, 'manifest.json')), dir);
  const wasm = await readBundleFile(join(dir, 'policy.wasm'));
  let loaded: Awaited<ReturnType<typeof loadPolicy>>;
  try {
    loaded = await loadPolicy(wasm);
  } catch (error) {
    throw new ModtrailError('policy.load_failed', `policy bundle: ${dir}/policy.wasm is not a usable OPA module: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const entrypoints = loaded.entrypoints as Record<string, number>;
  if (!(decisionsEntrypoint in entrypoints)) {
    throw new ModtrailError('policy.load_failed', `policy bundle: ${dir}/policy.wasm has no ${decisionsEntrypoint} entrypoint; ${rebuild}`);
  }
  return {
    manifest,
    policy: {
      setData: (data) => rethrowAsError(() => loaded.setData(data)),
      evaluate: (input, entrypoint) => rethrowAsError(() => loaded.evaluate(input, entrypoint) as unknown),
    },
  };
}

async function readBundleFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ModtrailError('policy.load_failed', `policy bundle: cannot read ${path} (${messageOf(error)}); ${rebuild}`, {
      cause: error,
    });
  }
}

function parseManifest(bytes: Buffer, dir: string): BundleManifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ModtrailError('policy.load_failed', `policy bundle: ${dir}/manifest.json is not valid JSON; ${rebuild}`, { cause: error });
  }
  const result = manifestSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || 'manifest';
    throw new ModtrailError('policy.load_failed', `policy bundle: ${dir}/manifest.json: ${where} ${issue?.message ?? 'is invalid'}; ${rebuild}`);
  }
  if (!result.data.entrypoints.includes(decisionsEntrypoint)) {
    throw new ModtrailError('policy.load_failed', `policy bundle: ${dir}/manifest.json does not list ${decisionsEntrypoint}; ${rebuild}`);
  }
  return result.data;
}

// The SDK throws strings and plain objects as well as Errors.
function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown) return String(thrown.message);
  return String(thrown);
}

function rethrowAsError<T>(call: () => T): T {
  try {
    return call();
  } catch (thrown) {
    throw thrown instanceof Error ? thrown : new Error(messageOf(thrown));
  }
}
