import type { IncomingHttpHeaders } from 'node:http';
import { LoopbackReceiver } from './loopback-receiver.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on loopback that records every request and answers with the status a test chooses. */
export class WebhookReceiver {
  private receiver: LoopbackReceiver | undefined;
  /** Status for the next responses, consumed one by one; 200 once empty. */
  readonly plannedStatuses: number[] = [];

  /** Every request so far, in order of arrival. */
  get requests(): ReceivedRequest[] {
    return (this.receiver?.seen ?? []).map(({ url, ...rest }) => ({ ...rest, path: url }));
  }

  async start(): Promise<string> {
    this.receiver = await LoopbackReceiver.start({ path: '/hooks/modtrail', otherwise: () => ({ status: this.plannedStatuses.shift() ?? 200 }) });
    return this.receiver.url;
  }

  async stop(): Promise<void> {
    await this.receiver?.close();
  }
}
