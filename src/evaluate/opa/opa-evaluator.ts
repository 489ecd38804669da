import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Evaluator } from '../../core/component.js';
import { ModtrailError } from '../../core/errors.js';
import type { AuditRecord, Decision } from '../../core/record.js';
import { decisionsEntrypoint, loadPolicyBundle, type WasmPolicy } from './policy-bundle.js';
import { loadPolicyData } from './policy-data.js';
import { toDecisions } from './policy-output.js';
import { judgedView, type JudgedView } from './judged-view.js';
import { DecisionCache } from './decision-cache.js';

export interface OpaEvaluatorOptions {
  /** Holds policy.wasm and manifest.json. */
  bundleDir: string;
  /** The JSON the policy reads as `data`. */
  dataFile: string;
  /** Records per WASM call; bounds the memory and the event-loop pause of one call. */
  chunkSize?: number;
  /** Distinct judged views remembered per generation across batches (two generations); 0 turns the cache off. */
  cacheSize?: number;
}

export const defaultChunkSize = 500;
export const defaultCacheSize = 10_000;

/** Judges batches with the compiled Rego policy: one WASM call per chunk of records. */
export class OpaEvaluator implements Evaluator {
  readonly #bundleDir: string;
  readonly #dataFile: string;
  readonly #chunkSize: number;
  #loaded: { policy: WasmPolicy; revision: string } | undefined;
  readonly #cache: DecisionCache;

  constructor(options: OpaEvaluatorOptions) {
    const chunkSize = options.chunkSize ?? defaultChunkSize;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
    this.#bundleDir = options.bundleDir;
    this.#dataFile = options.dataFile;
    this.#chunkSize = chunkSize;
    this.#cache = new DecisionCache(options.cacheSize ?? defaultCacheSize);
  }

  /** The revision of the bundle in use; undefined until started. */
  get revision(): string | undefined {
    return this.#loaded?.revision;
  }

  async start(): Promise<void> {
    if (this.#loaded) return;
    const { policy, manifest } = await loadPolicyBundle(this.#bundleDir);
    const data = await loadPolicyData(this.#dataFile);
    try {
      policy.setData(data);
    } catch (error) {
      throw new ModtrailError('policy.load_failed', `policy data: the policy refused ${this.#dataFile}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.#loaded = { policy, revision: manifest.revision };
  }

  async evaluate(records: readonly AuditRecord[]): Promise<Decision[]> {
    const loaded = this.#loaded;
    if (!loaded) throw new ModtrailError('policy.evaluation_failed', 'the OPA evaluator is not started');
    const decisions: Decision[] = [];
    for (let offset = 0; offset < records.length; offset += this.#chunkSize) {
      // A WASM call blocks the thread; yielding between chunks keeps Kafka heartbeats and the API answering.
      if (offset > 0) await yieldToEventLoop();
      const chunk = records.slice(offset, offset + this.#chunkSize);
      decisions.push(...judge(loaded.policy, chunk, loaded.revision, this.#cache));
    }
    return decisions;
  }

  async stop(): Promise<void> {
    this.#loaded = undefined;
  }
}

function judge(policy: WasmPolicy, records: readonly AuditRecord[], revision: string, cache: DecisionCache): Decision[] {
  // Only the fields the rules read go in, and each distinct view once: proxy traffic repeats the same fetches.
  const verdicts: (Decision | undefined)[] = new Array<Decision | undefined>(records.length);
  const unique: JudgedView[] = [];
  const uniqueKeys: string[] = [];
  const waiting: number[][] = [];
  const slots = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    const view = judgedView(records[i]!);
    const key = JSON.stringify(view);
    const known = cache.get(key);
    if (known !== undefined) {
      verdicts[i] = known;
      continue;
    }
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = unique.length;
      slots.set(key, slot);
      unique.push(view);
      uniqueKeys.push(key);
      waiting.push([]);
    }
    waiting[slot]!.push(i);
  }
  if (unique.length > 0) {
    let resultSet: unknown;
    try {
      resultSet = policy.evaluate({ records: unique }, decisionsEntrypoint);
    } catch (error) {
      throw new ModtrailError('policy.evaluation_failed', `policy evaluation failed: ${(error as Error).message}`, { cause: error });
    }
    const decisions = toDecisions(resultSet, unique.length, revision);
    for (let slot = 0; slot < unique.length; slot++) {
      const decision = decisions[slot]!;
      cache.set(uniqueKeys[slot]!, decision);
      for (const i of waiting[slot]!) verdicts[i] = decision;
    }
  }
  // Records judged alike share one verdict: it is frozen (policy-output.ts), so no record can change another's.
  return verdicts as Decision[];
}
