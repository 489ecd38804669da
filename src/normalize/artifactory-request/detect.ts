// Recognises an artifactory-request.log line when nothing named its format: eleven pipe-separated fields that all
// check out (RFC 3339 time, upper-case method, HTTP status, lengths and duration as numbers), never a guess.
import { readRequestLine } from './request-line.js';

export function looksLikeArtifactoryRequest(line: string): boolean {
  return readRequestLine(line).ok;
}
