// Recognises an artifactory-access.log line when nothing named its format: a valid time, an optional [trace id],
// an [ACCEPTED …] or [DENIED …] verdict and "for <user>", the shape Artifactory's AccessLogger writes; never a guess.
import { readAccessLine } from './access-line.js';

export function looksLikeArtifactoryAccess(line: string): boolean {
  return readAccessLine(line).ok;
}
