// Compiles policies/rego into policies/bundle (policy.wasm + manifest.json), which is committed so the service runs
// without Go. `--test` runs the Rego unit tests; `--check` fails when the committed bundle is stale.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureOpa } from './servers/opa.js';
import { execFileAsync } from './servers/processes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const regoDir = join(root, 'policies', 'rego');
const bundleDir = join(root, 'policies', 'bundle');
const manifestFile = join(bundleDir, 'manifest.json');
const entrypoints = ['modtrail/decisions'];

export interface BundleManifest {
  revision: string;
  opa_version: string;
  entrypoints: string[];
  source_digest: string;
}

async function regoSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.rego') && !entry.name.endsWith('_test.rego'))
    .map((entry) => relative(regoDir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** sha256 over each policy file's relative path and content, NUL-separated, in sorted path order; tests excluded. */
export async function sourceDigest(): Promise<string> {
  const hash = createHash('sha256');
  for (const path of await regoSources(regoDir)) {
    hash.update(`${path}\0`);
    hash.update(await readFile(join(regoDir, path)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function run(binary: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function opaVersion(binary: string): Promise<string> {
  const { stdout } = await execFileAsync(binary, ['version']);
  const version = /^Version:\s*(\S+)/m.exec(stdout)?.[1];
  if (!version) throw new Error(`could not read the version of ${binary}`);
  return `v${version}`;
}

// tsconfig's lib (ES2023, no DOM) leaves the WebAssembly global untyped; this is the slice the builtin check uses.
interface WasmRuntime {
  Module: { new (bytes: Uint8Array): object; imports(module: object): { name: string; kind: string }[] };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasmRuntime = (globalThis as unknown as { WebAssembly: WasmRuntime }).WebAssembly;

/** Builtins the module imports from the host; the Node SDK lacks most of them and would throw at evaluation. */
function hostBuiltins(wasm: Uint8Array): string[] {
  const module = new wasmRuntime.Module(wasm);
  const memory = new wasmRuntime.Memory({ initial: 5 });
  const env: Record<string, unknown> = { memory };
  for (const item of wasmRuntime.Module.imports(module)) {
    if (item.kind === 'function') env[item.name] = () => 0;
  }
  const exports = new wasmRuntime.Instance(module, { env }).exports as {
    builtins(): number;
    opa_json_dump(address: number): number;
  };
  const address = exports.opa_json_dump(exports.builtins());
  const bytes = new Uint8Array(memory.buffer);
  const text = new TextDecoder().decode(bytes.subarray(address, bytes.indexOf(0, address)));
  return Object.keys(JSON.parse(text) as object);
}

async function build(): Promise<void> {
  const opa = await ensureOpa();
  const digest = await sourceDigest();
  const revision = `sha256-${digest.slice(0, 12)}`;
  const work = await mkdtemp(join(tmpdir(), 'modtrail-policies-'));
  try {
    const bundle = join(work, 'bundle.tar.gz');
    const entrypointArgs = entrypoints.flatMap((entrypoint) => ['-e', entrypoint]);
    // Data is loaded at run time with setData, so only the Rego is compiled; tests stay out of the bundle.
    const args = ['build', '-t', 'wasm', ...entrypointArgs, '--revision', revision, '--ignore', '*_test.rego'];
    if ((await run(opa, [...args, '-o', bundle, regoDir])) !== 0) throw new Error('opa build failed');
    await execFileAsync('tar', ['-xzf', bundle, '-C', work, '/policy.wasm']);
    const wasm = await readFile(join(work, 'policy.wasm'));
    const missing = hostBuiltins(wasm);
    if (missing.length > 0) {
      throw new Error(`the policy uses builtins the WASM target does not compile in: ${missing.join(', ')}`);
    }
    const manifest: BundleManifest = {
      revision,
      opa_version: await opaVersion(opa),
      entrypoints,
      source_digest: digest,
    };
    await mkdir(bundleDir, { recursive: true });
    await writeFile(join(bundleDir, 'policy.wasm'), wasm);
    await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`policies/bundle: revision ${revision}, ${wasm.byteLength} bytes of wasm, ${manifest.opa_version}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function test(): Promise<void> {
  const opa = await ensureOpa();
  if ((await run(opa, ['test', regoDir, '-v'])) !== 0) throw new Error('opa test failed');
}

async function check(): Promise<void> {
  const advice = 'the bundle is stale: run npm run build:policies';
  if (!existsSync(manifestFile) || !existsSync(join(bundleDir, 'policy.wasm'))) {
    throw new Error(`policies/bundle/manifest.json or policy.wasm is missing; ${advice}`);
  }
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Partial<BundleManifest>;
  const digest = await sourceDigest();
  if (manifest.source_digest !== digest) {
    throw new Error(`policies/rego (sha256 ${digest}) differs from policies/bundle (${manifest.source_digest}); ${advice}`);
  }
  console.log(`policies/bundle is up to date (revision ${manifest.revision})`);
}

const flags = new Set(process.argv.slice(2));
const action = flags.has('--check') ? check : flags.has('--test') ? test : build;
action().catch((error: unknown) => {
  console.error(`build-policies: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
