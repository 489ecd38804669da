// V8 grows the old generation by a factor it derives from GC speed. With the service's steady stream of objects
// that live for a batch or two, that factor left a full mark-compact every few hundred milliseconds, a quarter of
// the service's CPU. Letting the old generation double its live size before the next one (growing 100 %) cut the
// CPU per stored record by 12 to 15 % in bench/store-1m.ts, for about 12 MB more peak RSS (docs/STORAGE.md).
import { setFlagsFromString } from 'node:v8';

export const heapGrowingPercent = 100;

/** The V8 flag to set, or undefined when the node command line already chose the growth (the operator's choice stands). */
export function heapGrowthFlag(execArgv: readonly string[]): string | undefined {
  if (execArgv.some((argument) => /^--heap[-_]growing[-_]percent(?:=|$)/.test(argument))) return undefined;
  return `--heap-growing-percent=${heapGrowingPercent}`;
}

/** Sets the service's heap growth for this process, unless `node` was started with its own; returns the flag set. */
export function tuneHeapGrowth(execArgv: readonly string[] = process.execArgv): string | undefined {
  const flag = heapGrowthFlag(execArgv);
  if (flag !== undefined) setFlagsFromString(flag);
  return flag;
}
