// Recognises an agent event when nothing named its format: a JSON object that names a modtrail agent schema.
import { agentSchemaPrefix } from './agent-event.js';

/** True for any `modtrail.agent/…` version, so an unsupported version reaches the agent parser and is named there. */
export function looksLikeAgentEvent(line: string): boolean {
  const text = line.replace(/^\uFEFF/, '');
  if (!text.trimStart().startsWith('{')) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const { schema } = parsed as Record<string, unknown>;
  return typeof schema === 'string' && schema.length > agentSchemaPrefix.length && schema.startsWith(agentSchemaPrefix);
}
