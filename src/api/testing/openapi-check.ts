// Checks a real response against the served OpenAPI document: the documented status, media type and schema.
import { z } from 'zod';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }>>; components: { schemas: Record<string, Record<string, unknown>> } };

/** Problems with the response as the document describes it; empty when it conforms. */
export function responseProblems(document: object, path: string, method: string, status: number, contentType: string, body: unknown): string[] {
  const doc = document as Doc;
  const operation = doc.paths[path]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${path} is not in the document`];
  const response = operation.responses[String(status)];
  if (!response) return [`${method} ${path} does not document status ${status}`];
  const mediaType = contentType.split(';', 1)[0]!.trim();
  const media = response.content?.[mediaType];
  if (!media) return [`${method} ${path} ${status} does not document ${mediaType}`];
  const schema = resolve(media.schema, doc);
  // A file's bytes (a tar, a bundle file): documented as a string; the body must be text or bytes, not parsed JSON.
  if (!isJson(mediaType)) {
    if (schema.type !== 'string') return [`${method} ${path} ${status} documents ${mediaType} with a schema that is not a string`];
    return typeof body === 'string' || body instanceof Uint8Array ? [] : [`${method} ${path} ${status}: a ${mediaType} body must be text or bytes`];
  }
  const result = z.fromJSONSchema(schema as never).safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
}

const isJson = (mediaType: string): boolean => mediaType === 'application/json' || mediaType.endsWith('+json');

function resolve(schema: Record<string, unknown>, doc: Doc): Record<string, unknown> {
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) return doc.components.schemas[ref.slice('#/components/schemas/'.length)]!;
  return schema;
}
