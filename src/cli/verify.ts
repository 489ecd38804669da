import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import type { Config } from '../config/schema.js';
import { ModtrailError } from '../core/errors.js';
import { loadSealKeys, publicJwks } from '../integrity/keys.js';
import { streamName, type IntegrityProblem } from '../integrity/problems.js';
import { verifyRange } from '../integrity/verify-range.js';
import { createOpenSearchClient } from '../store/opensearch/client.js';
import { OpenSearchIntegrityReader } from '../store/opensearch/integrity-reader.js';

export interface VerifyOptions {
  from: Date;
  to: Date;
  /** A public JWKS file; without it, the public parts of the configured seal keys. */
  jwks?: string;
  /** Explicit gaps (offsets Kafka never delivered, named in a seal) are printed but do not fail the check. */
  allowGaps: boolean;
  /** Records ingested before this should be sealed; default: now minus twice the seal cadence and a minute. */
  sealedBefore?: Date;
}

/** `modtrail verify`: checks the stored records, dead letters and seals of a time range; exit 1 on any problem. */
export async function verify(config: Readonly<Config>, options: VerifyOptions, out: NodeJS.WritableStream): Promise<number> {
  const jwks = await verificationKeys(config, options.jwks);
  const client = createOpenSearchClient(config.opensearch);
  try {
    const sealedBefore = options.sealedBefore ?? new Date(Date.now() - 2 * config.integrity.sealEveryMs - 60_000);
    const result = await verifyRange(new OpenSearchIntegrityReader(client, config.opensearch.indexPrefix), { from: options.from, to: options.to }, jwks, { sealedBefore });
    let failing = 0;
    for (const problem of result.problems) {
      const tolerated = options.allowGaps && problem.explicitGap === true;
      if (!tolerated) failing++;
      out.write(`${tolerated ? 'note ' : ''}${problemLine(problem)}\n`);
    }
    out.write(
      `verified ${result.streams} stream(s), ${result.seals} seal(s), ${result.records} record(s), ${result.deadLetters} dead letter(s): ` +
        `${failing === 0 ? 'no problems' : `${failing} problem(s)`}${result.problems.length > failing ? ` (${result.problems.length - failing} gap note(s))` : ''}\n`,
    );
    return failing === 0 ? 0 : 1;
  } finally {
    await client.close();
  }
}

/** One problem per line: kind, stream, offsets, seal sequence, record, then the sentence. */
export function problemLine(problem: IntegrityProblem): string {
  const parts = [problem.kind, problem.stream === null ? '-' : streamName(problem.stream)];
  if (problem.offsets) parts.push(`offsets ${problem.offsets.first}..${problem.offsets.last}`);
  if (problem.sequence !== undefined) parts.push(`seal ${problem.sequence}`);
  if (problem.recordId !== undefined) parts.push(`record ${problem.recordId}`);
  return `${parts.join(' ')}: ${problem.detail}`;
}

async function verificationKeys(config: Readonly<Config>, file: string | undefined): Promise<JSONWebKeySet> {
  if (file !== undefined) {
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as JSONWebKeySet;
      if (!Array.isArray(parsed.keys)) throw new Error('no "keys" array');
      return parsed;
    } catch (error) {
      throw new ModtrailError('config.invalid', `--jwks ${file} is not a readable JWKS (${(error as NodeJS.ErrnoException).code ?? 'not a JWKS'})`);
    }
  }
  const { keys, activeKid } = config.integrity;
  if (keys === undefined) throw new ModtrailError('config.invalid', 'no public keys to verify with: pass --jwks <file> or set integrity.keys');
  return publicJwks(await loadSealKeys(keys, activeKid === undefined ? {} : { activeKid }));
}
