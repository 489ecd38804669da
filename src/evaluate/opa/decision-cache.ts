import type { Decision } from '../../core/record.js';

/**
 * Remembers verdicts by judged view across batches. The policy is a pure function of the view and the data, and a
 * cache belongs to one evaluator (one bundle and one data document), so a hit is exactly what evaluation would say.
 * Two generations bound the memory: when the young one fills, it becomes the old one and the oldest is dropped;
 * a hit in the old generation moves the entry back to the young one, so views still in use survive.
 */
export class DecisionCache {
  readonly #generationSize: number;
  #young = new Map<string, Decision>();
  #old = new Map<string, Decision>();

  /** Holds at most 2 × generationSize views. */
  constructor(generationSize: number) {
    if (!Number.isInteger(generationSize) || generationSize < 0) throw new RangeError(`generationSize must be a non-negative integer, got ${generationSize}`);
    this.#generationSize = generationSize;
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  get(view: string): Decision | undefined {
    const young = this.#young.get(view);
    if (young !== undefined) return young;
    const old = this.#old.get(view);
    if (old !== undefined) {
      this.#old.delete(view);
      this.set(view, old);
    }
    return old;
  }

  set(view: string, decision: Decision): void {
    if (this.#generationSize === 0) return;
    if (this.#young.size >= this.#generationSize) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(view, decision);
  }
}
