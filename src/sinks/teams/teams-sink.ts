import type { Alert } from '../../core/component.js';
import type { Digest } from '../../delivery/notification.js';
import { ChatHookSink } from '../chat-hook-sink.js';
import type { TeamsConfig } from './config.js';
import { teamsDigest } from './teams-digest.js';
import { teamsMessage } from './teams-message.js';

/**
 * Posts each alert to a Teams Workflows webhook (Power Automate). The trigger answers 202 Accepted once it has
 * queued the flow run, or an error as JSON `{"error":{"code","message"}}`; the sink only classifies the answer.
 * A 202 says the flow started, not that the card was posted: a failed run shows only in the flow's run history.
 */
export class TeamsSink extends ChatHookSink {
  constructor(config: TeamsConfig & { url: string }, name = 'teams') {
    super(config, name);
  }

  protected message(alert: Alert, options: { recordUrlTemplate?: string | undefined }): object {
    return teamsMessage(alert, options);
  }

  protected digest(digest: Digest): object {
    return teamsDigest(digest);
  }

  protected override errorDetail(body: string): string {
    return errorDetail(body);
  }
}

/** `code: message` from a Power Automate error body, or the body itself when it is something else. */
function errorDetail(body: string): string {
  try {
    const error = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const parts = [error?.code, error?.message].filter((part): part is string => typeof part === 'string' && part !== '');
    if (parts.length > 0) return parts.join(': ');
  } catch {
    // not JSON: the body as it came
  }
  return body;
}


