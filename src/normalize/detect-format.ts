// Format detection for events that neither a header nor their topic names: only unmistakable shapes, never a guess.
import type { SourceFormat } from '../core/component.js';
import { looksLikeAthens } from './athens/detect.js';

const detectors: ReadonlyArray<readonly [SourceFormat, (line: string) => boolean]> = [['athens', looksLikeAthens]];

export function detectFormat(line: string): SourceFormat | undefined {
  return detectors.find(([, looksLike]) => looksLike(line))?.[0];
}
