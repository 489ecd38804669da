// Format detection for events that neither a header nor their topic names: only unmistakable shapes, never a guess.
import type { SourceFormat } from '../core/component.js';
import { looksLikeAgentEvent } from './agent/detect.js';
import { looksLikeArtifactoryAccess } from './artifactory-access/detect.js';
import { looksLikeArtifactoryRequest } from './artifactory-request/detect.js';
import { looksLikeAthens } from './athens/detect.js';
import { looksLikeApiEvent } from './modtrail-api/detect.js';
import { looksLikeLifecycleEvent } from './modtrail-lifecycle/detect.js';
import { looksLikeNexusRequest } from './nexus-request/detect.js';
import { looksLikeSysmon } from './sysmon/detect.js';

const detectors: ReadonlyArray<readonly [SourceFormat, (line: string) => boolean]> = [
  ['agent', looksLikeAgentEvent],
  ['sysmon', looksLikeSysmon],
  ['athens', looksLikeAthens],
  ['artifactory-request', looksLikeArtifactoryRequest],
  ['artifactory-access', looksLikeArtifactoryAccess],
  ['nexus-request', looksLikeNexusRequest],
  ['modtrail-api', looksLikeApiEvent],
  ['modtrail-lifecycle', looksLikeLifecycleEvent],
];

/** The one format that recognises the line; undefined when none does, or when more than one does (ambiguous). */
export function detectFormat(line: string): SourceFormat | undefined {
  let found: SourceFormat | undefined;
  for (const [format, looksLike] of detectors) {
    if (!looksLike(line)) continue;
    if (found !== undefined) return undefined;
    found = format;
  }
  return found;
}
