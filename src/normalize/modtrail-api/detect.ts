// Recognises modtrail's own API events when nothing named their format: a JSON object naming the modtrail.api schema.
export function looksLikeApiEvent(line: string): boolean {
  if (!line.trimStart().startsWith('{') || !line.includes('modtrail.api/')) return false;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && (parsed as { schema?: unknown }).schema === 'modtrail.api/v1';
  } catch {
    return false;
  }
}
