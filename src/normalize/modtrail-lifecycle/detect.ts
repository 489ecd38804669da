// Recognises modtrail's own lifecycle events when nothing named their format: a JSON object naming the modtrail.lifecycle schema.
export function looksLikeLifecycleEvent(line: string): boolean {
  if (!line.trimStart().startsWith('{') || !line.includes('modtrail.lifecycle/')) return false;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && (parsed as { schema?: unknown }).schema === 'modtrail.lifecycle/v1';
  } catch {
    return false;
  }
}
