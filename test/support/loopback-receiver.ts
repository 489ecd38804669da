import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach } from 'vitest';

/** One request as the receiver saw it. */
export interface ReceivedRequest {
  method: string;
  /** The request target as received: path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Over TLS with a client certificate: the common name it names. */
  clientCertificate?: string;
}

/** How the receiver answers one request. */
export interface PlannedResponse {
  status: number;
  headers?: Record<string, string>;
  /** The answer body, or a function of the request it answers. */
  body?: string | ((request: ReceivedRequest) => string);
  /** Never answer (for timeouts); the connection is cut when the receiver closes. */
  hang?: boolean;
}

export interface LoopbackReceiverOptions {
  /** Path and query appended to the receiver's origin in `url`. */
  path: string;
  /** Answers for the next requests, consumed one by one. */
  responses?: PlannedResponse[];
  /** The answer once `responses` is empty: a fixed one, or one chosen per request. */
  otherwise?: PlannedResponse | ((request: ReceivedRequest) => PlannedResponse);
  /** Headers sent with every answer, under the planned ones. */
  headers?: Record<string, string>;
  /** Serve HTTPS with this certificate; with `ca`, only clients holding a certificate it issued are let in (mutual TLS). */
  tls?: { cert: Buffer; key: Buffer; ca?: Buffer };
}

/** The common name of the certificate a TLS client presented, if any. */
function clientCertificateOf(request: IncomingMessage): string | undefined {
  const socket = request.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const name = socket.getPeerCertificate().subject?.CN;
  return typeof name === 'string' ? name : undefined;
}

/** A real HTTP server on 127.0.0.1 that records every request and answers with planned responses. */
export class LoopbackReceiver {
  readonly seen: ReceivedRequest[] = [];
  readonly responses: PlannedResponse[];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    responses: PlannedResponse[],
  ) {
    this.responses = responses;
  }

  static async start(options: LoopbackReceiverOptions): Promise<LoopbackReceiver> {
    const { otherwise = { status: 200 }, headers = {} } = options;
    let receiver: LoopbackReceiver | undefined;
    const listener: RequestListener = (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const clientCertificate = clientCertificateOf(request);
        const got: ReceivedRequest = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ...(clientCertificate === undefined ? {} : { clientCertificate }),
        };
        receiver!.seen.push(got);
        const planned = receiver!.responses.shift() ?? (typeof otherwise === 'function' ? otherwise(got) : otherwise);
        if (planned.hang) return;
        const text = typeof planned.body === 'function' ? planned.body(got) : (planned.body ?? '');
        response.writeHead(planned.status, { ...headers, ...planned.headers }).end(text);
      });
    };
    const { tls } = options;
    const server: Server =
      tls === undefined
        ? createServer(listener)
        : createHttpsServer({ cert: tls.cert, key: tls.key, ...(tls.ca === undefined ? {} : { ca: tls.ca, requestCert: true, rejectUnauthorized: true }) }, listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new LoopbackReceiver(server, `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}${options.path}`, [...(options.responses ?? [])]);
    return receiver;
  }

  /** Cuts open connections (a hanging answer included) and stops listening. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Registers an `afterEach` that closes every receiver started in the test, and returns the
 * function that starts one with these defaults and the given planned responses.
 */
export function loopbackReceivers(defaults: Omit<LoopbackReceiverOptions, 'responses'>): (responses?: PlannedResponse[]) => Promise<LoopbackReceiver> {
  const open: LoopbackReceiver[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((receiver) => receiver.close()));
  });
  return async (responses = []) => {
    const receiver = await LoopbackReceiver.start({ ...defaults, responses });
    open.push(receiver);
    return receiver;
  };
}

/** A loopback port nobody listens on. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
