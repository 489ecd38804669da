import { cpus, totalmem } from 'node:os';

/** What a reader needs to weigh the figures: the machine and the runtime. */
export function machineDescription(): string {
  const cpu = cpus()[0];
  return `${cpu?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

/** The median of repeated timed runs, in milliseconds; the first run is a warm-up and is discarded. */
export async function medianMs(runs: number, body: () => Promise<void> | void): Promise<number> {
  await body();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await body();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
