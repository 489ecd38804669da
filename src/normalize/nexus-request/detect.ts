// Recognises a Nexus request.log line when nothing named its format: only the shape Nexus's own pattern writes.

/** client - user [CLF date] "METHOD target HTTP/x" status, two or three counts, "user agent", optional [thread]. */
const requestLogLine =
  /^\S+ - \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "[A-Z]+ (\S+) HTTP\/\d(?:\.\d)?" [1-5]\d\d ((?:(?:\d+|-) ){2,3})"[^"]*"( \[[^[\]"]+\])?$/;
/** Paths only Nexus serves: its repositories and its REST API. */
const nexusPath = /^(?:https?:\/\/[^/?#]+)?\/(?:repository|service)\//;

export function looksLikeNexusRequest(line: string): boolean {
  const match = requestLogLine.exec(line);
  if (!match) return false;
  const counts = (match[2] ?? '').trimEnd().split(' ');
  // Today's pattern (content length and thread) is distinctive on its own; the older, shorter one only with a Nexus path.
  if (counts.length === 3 && match[3] !== undefined) return true;
  return nexusPath.test(match[1] ?? '');
}
