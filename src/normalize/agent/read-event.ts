// Raw text → a validated agent event of a version this service reads, or the rejection that says what is wrong.
import type { Rejection } from '../../core/component.js';
import { agentEventSchemas, agentSchemaPrefix, agentSchemaV1, type AgentEventV1 } from './agent-event.js';
import { describeProblems } from './validation-problems.js';

export type ReadResult = { ok: true; event: AgentEventV1 } | { ok: false; rejection: Rejection };

const supported = Object.keys(agentEventSchemas).join(', ');

export function readAgentEvent(raw: string): ReadResult {
  let value: unknown;
  try {
    // Windows PowerShell 5 writes UTF-8 with a byte-order mark; the mark is not part of the document.
    value = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    return malformed(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return malformed(`(event): must be a JSON object, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const schema = (value as Record<string, unknown>).schema;
  if (schema === undefined) return malformed(`schema: is required, e.g. "${agentSchemaV1}"`);
  if (typeof schema !== 'string' || !schema.startsWith(agentSchemaPrefix)) {
    return malformed(`schema: must name a modtrail agent schema (${supported}), not ${JSON.stringify(schema)}`);
  }
  if (!Object.hasOwn(agentEventSchemas, schema)) {
    return malformed(`schema: ${JSON.stringify(schema)} is not a version this service reads (${supported})`);
  }
  const result = agentEventSchemas[schema as keyof typeof agentEventSchemas].safeParse(value);
  if (result.success) return { ok: true, event: result.data };
  const reason = describeProblems(result.error.issues, value);
  // A document whose only fault is its time is a timestamp problem, counted as such beside the other formats'.
  const onlyTime = result.error.issues.every((issue) => issue.path.length === 1 && issue.path[0] === 'time');
  return { ok: false, rejection: { code: onlyTime ? 'parse.bad_timestamp' : 'parse.malformed', reason } };
}

function malformed(reason: string): ReadResult {
  return { ok: false, rejection: { code: 'parse.malformed', reason } };
}
