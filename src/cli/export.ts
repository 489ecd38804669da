// `modtrail export`: one export of a time range and filters into a directory, with a progress bar on a terminal.
import { hostname, userInfo } from 'node:os';
import { SingleBar } from 'cli-progress';
import type { Config } from '../config/schema.js';
import { ModtrailError } from '../core/errors.js';
import { openSearchExportSource } from '../export/opensearch-export-source.js';
import { removePartialExport, runExport, type ExportFormat, type ExportProgress } from '../export/exporter.js';
import { exportFiltersSchema, type ExportFilters } from '../export/filters.js';
import { loadSealKeys } from '../integrity/keys.js';
import { createOpenSearchClient } from '../store/opensearch/client.js';

export interface ExportCommandOptions {
  from: Date;
  to: Date;
  filters: ExportFilters;
  format: ExportFormat;
  out: string;
  /** Who the manifest names; defaults to the local user at this host. */
  exporter?: string;
}

export async function exportCommand(config: Readonly<Config>, options: ExportCommandOptions, output: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  if (options.from.getTime() >= options.to.getTime()) throw new ModtrailError('config.invalid', '--from must be before --to');
  const filters = exportFiltersSchema.safeParse(options.filters);
  if (!filters.success) throw new ModtrailError('config.invalid', `invalid filter: ${filters.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const { keys, activeKid } = config.integrity;
  if (keys === undefined) throw new ModtrailError('config.invalid', 'integrity.keys is not set: the manifest cannot be signed (see docs/EXPORTS.md)');
  const keyring = await loadSealKeys(keys, activeKid === undefined ? {} : { activeKid });

  const client = createOpenSearchClient(config.opensearch);
  const source = openSearchExportSource(client, config.opensearch.indexPrefix);
  const range = { from: options.from, to: options.to };
  // A bar only for a person watching: piped or redirected output stays clean.
  const bar = output.isTTY === true ? new SingleBar({ stream: output, format: ' {phase} [{bar}] {value}/{total} records | {mb} MB | {duration_formatted} elapsed, eta {eta_formatted}', hideCursor: true, clearOnComplete: true }) : undefined;
  try {
    if (bar) bar.start(Math.max(1, await source.records.count(range, filters.data)), 0, { phase: 'seals', mb: '0.0' });
    const onProgress = (progress: ExportProgress) => {
      if (!bar) return;
      if (progress.records > bar.getTotal()) bar.setTotal(progress.records);
      bar.update(progress.records, { phase: progress.phase, mb: (progress.bytes / 1e6).toFixed(1) });
    };
    const { manifest } = await runExport(
      { range, filters: filters.data, format: options.format, exporter: { subject: options.exporter ?? `${userInfo().username}@${hostname()}`, issuer: 'modtrail-cli' } },
      { dir: options.out, source, keyring, pageSize: config.export.pageSize, onProgress },
    ).catch(async (error: unknown) => {
      await removePartialExport(options.out);
      throw error;
    });
    bar?.stop();
    const seals = manifest.seals.length;
    output.write(
      [
        `export ${manifest.id} written to ${options.out}`,
        `${manifest.records.count} records (${manifest.records.unsealed} not yet sealed), ${manifest.records.context} context records, ${manifest.dead_letters} dead letters, ${seals} seals`,
        manifest.completeness === 'complete' ? 'unfiltered: verify-export proves every sealed record of the range is here' : 'filtered: verify-export proves inclusion (each record sealed and unchanged), not completeness',
        `verify offline: npx modtrail verify-export ${options.out} --jwks <public keys obtained out of band>`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    bar?.stop();
    await client.close();
  }
}
