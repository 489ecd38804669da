import { describe, expect, it } from 'vitest';
import type { Settlement } from '../../core/component.js';
import { closedPort, loopbackReceivers, type ReceivedRequest } from '../../../test/support/loopback-receiver.js';
import { artifactoryAlert as alert } from '../../../test/support/sample-alert.js';
import { teamsConfigSchema } from './config.js';
import { TeamsSink } from './teams-sink.js';

const sig = 'Zk9yZ2VkU2lnbmF0dXJlT2ZUaGVUcmlnZ2VyMDAw';
const triggerPath = `/workflows/0123abcd/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`;
const template = 'https://modtrail.example/v1/records/{id}';

/** A real receiver on loopback answering each request with the next planned response. */
const receiver = loopbackReceivers({ path: triggerPath, otherwise: { status: 202 }, headers: { 'content-type': 'application/json' } });

const sinkFor = (url: string, timeoutMs = 2000): TeamsSink => new TeamsSink({ url, timeoutMs, recordUrlTemplate: template });
const powerAutomateError = (code: string, message: string): string => JSON.stringify({ error: { code, message } });

describe('TeamsSink', () => {
  it('posts one Adaptive Card in a message to the trigger and settles delivered on 202', async () => {
    const { url, seen } = await receiver([{ status: 202 }]);
    expect(await sinkFor(url).send(alert)).toEqual({ status: 'delivered' });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe(triggerPath);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: 'Module outside the allowlist (high)', weight: 'bolder', size: 'medium', color: 'attention', wrap: true },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Rule', value: 'module.not_allowlisted' },
                  { title: 'Severity', value: '4 high' },
                  { title: 'Module', value: 'github.com/evil-corp/backdoor@v1.2.3' },
                  { title: 'User', value: 'jdoe' },
                  { title: 'Host', value: 'DEV-0042' },
                  { title: 'Proxy', value: 'rt-eu-1 (Artifactory)' },
                  { title: 'Time', value: '2026-11-24T07:59:58.000Z' },
                ],
              },
              { type: 'TextBlock', text: 'Record e1 · bundle sha256-abc', size: 'small', isSubtle: true, wrap: true },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open record', url: 'https://modtrail.example/v1/records/e1' }],
          },
        },
      ],
    });
  });

  it('refuses on 4xx with the Power Automate error code in the reason', async () => {
    const { url } = await receiver([
      { status: 400, body: powerAutomateError('TriggerInputSchemaMismatch', 'The input body for trigger does not match the schema.') },
      { status: 404, body: powerAutomateError('WorkflowNotFound', 'The workflow could not be found.') },
      { status: 401, body: 'plain words' },
    ]);
    const sink = sinkFor(url);
    expect(await sink.send(alert)).toEqual({
      status: 'rejected',
      code: 'alert.rejected',
      reason: 'teams answered 400: TriggerInputSchemaMismatch: The input body for trigger does not match the schema.',
    });
    expect(await sink.send(alert)).toEqual({ status: 'rejected', code: 'alert.rejected', reason: 'teams answered 404: WorkflowNotFound: The workflow could not be found.' });
    expect(await sink.send(alert)).toEqual({ status: 'rejected', code: 'alert.rejected', reason: 'teams answered 401: plain words' });
  });

  it('asks for a retry on 429 (with its Retry-After when sent) and on 5xx', async () => {
    const { url } = await receiver([
      { status: 429, headers: { 'retry-after': '30' }, body: powerAutomateError('WorkflowTriggerIsThrottled', 'Throttled.') },
      { status: 429 },
      { status: 502 },
    ]);
    const sink = sinkFor(url);
    expect(await sink.send(alert)).toEqual({ status: 'retry', reason: 'teams answered 429: WorkflowTriggerIsThrottled: Throttled.', retryAfterMs: 30_000 });
    expect(await sink.send(alert)).toEqual({ status: 'retry', reason: 'teams answered 429' });
    expect(await sink.send(alert)).toEqual({ status: 'retry', reason: 'teams answered 502' });
  });

  it('asks for a retry when nothing listens', async () => {
    expect(await sinkFor(`http://127.0.0.1:${await closedPort()}${triggerPath}`, 1000).send(alert)).toEqual({ status: 'retry', reason: 'teams unreachable: ECONNREFUSED' });
  });

  it('never puts the trigger URL or its signature in a reason, even when the answer echoes them', async () => {
    const echo = (request: ReceivedRequest): string => powerAutomateError('DirectApiAuthorizationRequired', `bad sig ${sig} for ${request.url}`);
    const { url } = await receiver([
      { status: 401, body: echo },
      { status: 500, body: echo },
      { status: 429, body: echo },
    ]);
    const sink = sinkFor(url);
    const settlements: Settlement[] = [await sink.send(alert), await sink.send(alert), await sink.send(alert)];
    settlements.push(await sinkFor(`http://127.0.0.1:${await closedPort()}${triggerPath}`, 1000).send(alert));
    for (const settlement of settlements) {
      expect(settlement.status).not.toBe('delivered');
      expect('reason' in settlement ? settlement.reason : '').not.toContain(sig);
    }
    expect(settlements[0]).toEqual({ status: 'rejected', code: 'alert.rejected', reason: 'teams answered 401: DirectApiAuthorizationRequired: bad sig [redacted] for [redacted]' });
  });
});

describe('teamsConfigSchema', () => {
  it('is off without a URL and validates what is set', () => {
    expect(teamsConfigSchema.parse(undefined)).toEqual({ timeoutMs: 10_000 });
    expect(teamsConfigSchema.safeParse({ url: 'not a url' }).success).toBe(false);
    expect(teamsConfigSchema.parse({ url: 'https://prod-00.westeurope.logic.azure.com/workflows/x', timeoutMs: 5000 })).toEqual({
      url: 'https://prod-00.westeurope.logic.azure.com/workflows/x',
      timeoutMs: 5000,
    });
  });
});
