import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { Agent } from 'undici';
import { z } from 'zod';
import { ModtrailError } from '../core/errors.js';

/** Mutual TLS towards a receiver: the client certificate modtrail presents, and whom it trusts on the other side. */
export const clientTlsSchema = z.strictObject({
  /** PEM client certificate, optionally followed by its intermediate certificates. */
  certFile: z.string().min(1),
  /** PEM private key of the client certificate. */
  keyFile: z.string().min(1),
  /** Passphrase of an encrypted private key. */
  keyPassphrase: z.string().min(1).optional(),
  /** PEM certificate authorities the receiver's certificate must chain to; the system's roots when unset. */
  caFile: z.string().min(1).optional(),
});

export type ClientTls = z.infer<typeof clientTlsSchema>;

const fail = (sink: string, message: string) => new ModtrailError('config.invalid', `${sink}: ${message}`);

function readPem(sink: string, what: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw fail(sink, `${what} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/**
 * A connection pool that presents the client certificate on every connection to `url`. Checked at start, so a
 * missing file, a key that does not fit the certificate or a wrong passphrase stops `serve` instead of each alert.
 */
export function clientTlsAgent(sink: string, url: string, tls: ClientTls): Agent {
  if (new URL(url).protocol !== 'https:') throw fail(sink, 'mutual TLS needs an https:// URL');
  const cert = readPem(sink, 'client certificate', tls.certFile);
  const key = readPem(sink, 'client key', tls.keyFile);
  const ca = tls.caFile === undefined ? undefined : readPem(sink, 'CA file', tls.caFile);
  const options = { cert, key, ...(ca === undefined ? {} : { ca }), ...(tls.keyPassphrase === undefined ? {} : { passphrase: tls.keyPassphrase }) };
  try {
    createSecureContext(options);
  } catch (error) {
    // OpenSSL's words (bad decrypt, key values mismatch) name the cause; the passphrase never appears in them.
    throw fail(sink, `client certificate ${tls.certFile} and key ${tls.keyFile} cannot be used: ${error instanceof Error ? error.message : String(error)}`);
  }
  return new Agent({ connect: options });
}
