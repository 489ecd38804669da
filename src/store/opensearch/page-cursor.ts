import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ModtrailError } from '../../core/errors.js';

/**
 * What a cursor carries: when the first page was read (`asOf`, epoch ms), the handle of the point in time once a
 * second page opened one (pit-sessions.ts), where the last page ended, and which query it belongs to.
 */
export interface CursorState {
  asOf: number;
  pit?: string;
  after: (string | number)[];
  query: string;
}

/**
 * Opaque, signed pagination cursors: base64url(JSON).base64url(HMAC). The signature stops a client from
 * pointing a cursor at a point in time it was not given; the query fingerprint stops reuse with other filters.
 */
export class PageCursors {
  private readonly key: Buffer;

  /** Without a secret, cursors are valid only in this process (fine for one replica; share a secret for more). */
  constructor(secret?: string) {
    this.key = secret === undefined ? randomBytes(32) : Buffer.from(secret, 'utf8');
  }

  encode(state: CursorState): string {
    const body = Buffer.from(JSON.stringify({ t: state.asOf, ...(state.pit === undefined ? {} : { p: state.pit }), a: state.after, q: state.query }), 'utf8').toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The state, or a `query.invalid_cursor` error for anything this service did not issue for this query. */
  decode(cursor: string, query: string): CursorState {
    const invalid = (why: string) => new ModtrailError('query.invalid_cursor', `cursor is not valid: ${why}`);
    if (cursor.length > 4096) throw invalid('too long');
    const [body, signature, extra] = cursor.split('.');
    if (body === undefined || signature === undefined || extra !== undefined) throw invalid('not a cursor');
    const expected = Buffer.from(this.sign(body), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid('not issued by this service');
    let state: unknown;
    try {
      state = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalid('not a cursor');
    }
    const { t, p, a, q } = (state ?? {}) as { t?: unknown; p?: unknown; a?: unknown; q?: unknown };
    const validAfter = Array.isArray(a) && a.length > 0 && a.every((v) => typeof v === 'string' || typeof v === 'number');
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || (p !== undefined && typeof p !== 'string') || !validAfter || typeof q !== 'string') {
      throw invalid('not a cursor');
    }
    if (q !== query) throw invalid('it belongs to a different query');
    return { asOf: t, ...(p === undefined ? {} : { pit: p }), after: a as (string | number)[], query: q };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
