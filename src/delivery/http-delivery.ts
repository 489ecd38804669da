import { fetch, type Dispatcher, type Response } from 'undici';
import type { Settlement } from '../core/component.js';
import { parseRetryAfter } from './retry.js';

export interface JsonPost {
  /** Names the sink in reasons, e.g. `slack answered 404: no_service`. */
  sink: string;
  url: string;
  body: string;
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Cut out of every reason: reasons reach logs, and answers or errors may echo a URL or key. */
  secrets: readonly string[];
  /** The part of an error body worth keeping in the reason; receives the body already redacted. */
  describe?: (redactedBody: string) => string;
  /** Cancels the request (the service is stopping); the answer is then unknown and the post is retried later. */
  signal?: AbortSignal;
  /** The connection pool to post through (mutual TLS); undici's global one when unset. */
  dispatcher?: Dispatcher;
}

/**
 * POSTs one JSON body and classifies the answer, the same way for every HTTP sink: 2xx delivered; 408, 429
 * and 5xx retry (with Retry-After as the earliest next try); any other answer rejected; no answer retry.
 */
export async function postJson(post: JsonPost): Promise<Settlement> {
  const redact = (text: string): string => post.secrets.reduce((out, secret) => out.replaceAll(secret, '[redacted]'), text);
  let response: Response;
  let text: string;
  try {
    response = await fetch(post.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'modtrail', ...post.headers },
      body: post.body,
      // A hook never redirects; following one would turn the POST into a GET somewhere else.
      redirect: 'manual',
      signal: post.signal ? AbortSignal.any([AbortSignal.timeout(post.timeoutMs), post.signal]) : AbortSignal.timeout(post.timeoutMs),
      ...(post.dispatcher === undefined ? {} : { dispatcher: post.dispatcher }),
    });
    text = await response.text();
  } catch (error) {
    return { status: 'retry', reason: redact(`${post.sink} ${unreachable(error, post.timeoutMs)}`) };
  }
  if (response.ok) return { status: 'delivered' };
  // Redact before describing: a cut could leave a secret's prefix that no longer matches.
  const detail = post.describe ? post.describe(redact(text)) : '';
  const reason = redact(`${post.sink} answered ${response.status}${detail ? `: ${detail}` : ''}`);
  if (response.status === 408 || response.status === 429 || response.status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return retryAfterMs === undefined ? { status: 'retry', reason } : { status: 'retry', reason, retryAfterMs };
  }
  return { status: 'rejected', code: 'alert.rejected', reason };
}

/** The parts of a hook URL that grant access: the URL, its path and query, and any long segment or value. */
export function urlSecrets(url: string): string[] {
  const parsed = new URL(url);
  const rawValues = parsed.search.slice(1).split('&').map((pair) => pair.slice(pair.indexOf('=') + 1));
  const parts = [url, parsed.href, parsed.pathname + parsed.search, ...parsed.pathname.split('/'), ...parsed.searchParams.values(), ...rawValues];
  const secrets = parts.filter((part, index) => (index < 3 ? part.length > 1 : part.length >= 16));
  return [...new Set(secrets)].sort((a, b) => b.length - a.length);
}

function unreachable(error: unknown, timeoutMs: number): string {
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') return `did not answer within ${timeoutMs} ms`;
  // fetch rejects with an opaque "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, bad port).
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return `unreachable: ${code}`;
  if (cause instanceof Error) return `unreachable: ${cause.message}`;
  return `unreachable: ${error instanceof Error ? error.message : String(error)}`;
}
