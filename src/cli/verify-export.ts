// `modtrail verify-export DIR --jwks FILE`: offline; prints each problem and what the bundle cannot prove.
import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import { ModtrailError } from '../core/errors.js';
import { verifyBundle } from '../export/verify-bundle.js';

export async function verifyExportCommand(dir: string, options: { jwks: string; json?: boolean; allowGaps?: boolean }, output: NodeJS.WritableStream): Promise<number> {
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(await readFile(options.jwks, 'utf8')) as JSONWebKeySet;
  } catch (error) {
    throw new ModtrailError('config.invalid', `--jwks ${options.jwks} cannot be read as JSON (${(error as NodeJS.ErrnoException).code ?? 'not JSON'})`);
  }
  if (!Array.isArray(jwks.keys)) throw new ModtrailError('config.invalid', `--jwks ${options.jwks} is not a JWKS ({"keys": [...]})`);
  const result = await verifyBundle(dir, jwks, { allowGaps: options.allowGaps === true });
  if (options.json === true) {
    output.write(`${JSON.stringify({ ok: result.problems.length === 0, manifestVerified: result.manifestVerified, problems: result.problems, notices: result.notices, checked: result.checked })}\n`);
    return result.problems.length === 0 ? 0 : 1;
  }
  const { manifest, checked } = result;
  const lines: string[] = [];
  if (manifest) {
    const filters = Object.keys(manifest.query.filters).length === 0 ? 'no filters' : `filters ${JSON.stringify(manifest.query.filters)}`;
    lines.push(`export ${manifest.id} by ${manifest.exporter.subject} (${manifest.exporter.issuer}) at ${manifest.created_at}, modtrail ${manifest.modtrail_version}`);
    lines.push(`range ${manifest.query.from} to ${manifest.query.to}, ${filters}, ${manifest.query.format}`);
  }
  lines.push(`checked ${checked.records} records (${checked.sealedRecords} against seals), ${checked.contextRecords} context records, ${checked.seals} seals, ${checked.deadLetters} dead letters`);
  for (const problem of result.problems) lines.push(`PROBLEM ${problem.kind}: ${problem.detail}`);
  for (const notice of result.notices) lines.push(`note: ${notice}`);
  lines.push(result.problems.length === 0 ? 'OK: no problem found' : `FAILED: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
  output.write(`${lines.join('\n')}\n`);
  return result.problems.length === 0 ? 0 : 1;
}
