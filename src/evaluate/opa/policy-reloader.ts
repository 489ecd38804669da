import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Evaluator } from '../../core/component.js';
import type { AuditRecord, Decision } from '../../core/record.js';
import type { Logger } from '../../telemetry/logger.js';
import { OpaEvaluator } from './opa-evaluator.js';

export interface PolicySource {
  bundleDir: string;
  dataFile: string;
}

export type ReloadResult = { ok: true; revision: string } | { ok: false; error: string };

/**
 * Judges with the current policy and swaps in a new bundle or data file without a restart. A candidate is
 * loaded and checked in full before the swap; a bad one is refused with its reason and the old one keeps judging.
 */
export class PolicyReloader implements Evaluator {
  private current: OpaEvaluator | undefined;
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<ReloadResult> | undefined;

  constructor(
    private readonly source: PolicySource,
    private readonly logger: Logger,
    private readonly options: { watch: boolean; debounceMs: number; onReload?: (result: ReloadResult) => void } = { watch: true, debounceMs: 250 },
  ) {}

  get revision(): string | undefined {
    return this.current?.revision;
  }

  async start(): Promise<void> {
    if (this.current) return;
    this.current = await this.load();
    if (this.options.watch) this.watchSources();
  }

  /** A batch is judged by one policy from start to end, even if a reload lands meanwhile. */
  evaluate(records: readonly AuditRecord[]): Promise<Decision[]> {
    if (!this.current) return Promise.reject(new Error('policy not started'));
    return this.current.evaluate(records);
  }

  /** Loads the bundle and data again; swaps only when both load. Concurrent calls share one attempt. */
  reload(): Promise<ReloadResult> {
    this.reloading ??= this.attempt().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    await this.reloading?.catch(() => undefined);
    const current = this.current;
    this.current = undefined;
    await current?.stop();
  }

  private async attempt(): Promise<ReloadResult> {
    let result: ReloadResult;
    try {
      const candidate = await this.load();
      const previous = this.current;
      this.current = candidate;
      await previous?.stop();
      result = { ok: true, revision: candidate.revision ?? 'unknown' };
      this.logger.info({ revision: result.revision, previous: previous?.revision }, 'policy reloaded');
    } catch (error) {
      result = { ok: false, error: error instanceof Error ? error.message : String(error) };
      this.logger.error({ reason: result.error, revision: this.current?.revision }, 'policy reload refused; the previous policy keeps judging');
    }
    this.options.onReload?.(result);
    return result;
  }

  private async load(): Promise<OpaEvaluator> {
    const evaluator = new OpaEvaluator({ bundleDir: this.source.bundleDir, dataFile: this.source.dataFile });
    await evaluator.start();
    return evaluator;
  }

  /** Watches the directories, not the files, so a file replaced by rename (as editors and deploys do) is seen. */
  private watchSources(): void {
    const dataFile = resolve(this.source.dataFile);
    const targets = new Map<string, (name: string) => boolean>([
      [resolve(this.source.bundleDir), (name) => name === 'policy.wasm' || name === 'manifest.json'],
      [dirname(dataFile), (name) => name === basename(dataFile)],
    ]);
    for (const [dir, relevant] of targets) {
      const watcher = watch(dir, (_event, name) => {
        if (name !== null && relevant(name.toString())) this.schedule();
      });
      watcher.on('error', (error) => this.logger.warn({ err: error, dir }, 'policy watch failed'));
      this.watchers.push(watcher);
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.options.debounceMs);
  }
}
