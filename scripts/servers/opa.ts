import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { versions } from './places.js';
import { execFileAsync } from './processes.js';

/** The OPA CLI, built by `go install` through the Go module proxy into GOPATH/bin (Go's own cache). */
export async function ensureOpa(): Promise<string> {
  if (process.env.MODTRAIL_OPA && existsSync(process.env.MODTRAIL_OPA)) return process.env.MODTRAIL_OPA;
  const { stdout } = await execFileAsync('go', ['env', 'GOBIN', 'GOPATH']);
  const [gobin = '', gopath = ''] = stdout.split('\n').map((line) => line.trim());
  const binary = join(gobin || join(gopath, 'bin'), 'opa');
  if (existsSync(binary) && (await opaVersion(binary)) === versions.opa.replace(/^v/, '')) return binary;
  await execFileAsync('go', ['install', `github.com/open-policy-agent/opa@${versions.opa}`], {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  return binary;
}

async function opaVersion(binary: string): Promise<string | undefined> {
  const { stdout } = await execFileAsync(binary, ['version']).catch(() => ({ stdout: '' }));
  return /^Version:\s*(\S+)/m.exec(stdout)?.[1];
}
