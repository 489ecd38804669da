import { describe, expect, it } from 'vitest';
import type { Settlement } from '../../core/component.js';
import { closedPort, loopbackReceivers, type ReceivedRequest } from '../../../test/support/loopback-receiver.js';
import { artifactoryAlert as alert } from '../../../test/support/sample-alert.js';
import { slackConfigSchema } from './config.js';
import { SlackSink } from './slack-sink.js';

const token = 'xoxSECRETt0kenPartOfTheHookPath';
const hookPath = `/services/T0000000/B0000000/${token}`;
const template = 'https://modtrail.example/v1/records/{id}';

/** A real receiver on loopback answering each request with the next planned response. */
const receiver = loopbackReceivers({ path: hookPath, otherwise: { status: 200, body: 'ok' }, headers: { 'content-type': 'text/plain' } });

const sinkFor = (url: string, timeoutMs = 2000): SlackSink => new SlackSink({ url, timeoutMs, recordUrlTemplate: template });

describe('SlackSink', () => {
  it('posts the Block Kit message as JSON to the hook and settles delivered on 200 ok', async () => {
    const { url, seen } = await receiver([{ status: 200, body: 'ok' }]);
    expect(await sinkFor(url).send(alert)).toEqual({ status: 'delivered' });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe(hookPath);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({
      text: 'Module outside the allowlist (high): github.com/evil-corp/backdoor@v1.2.3',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Module outside the allowlist (high)' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Rule*\nmodule.not_allowlisted', verbatim: true },
            { type: 'mrkdwn', text: '*Severity*\n4 high', verbatim: true },
            { type: 'mrkdwn', text: '*Module*\ngithub.com/evil-corp/backdoor@v1.2.3', verbatim: true },
            { type: 'mrkdwn', text: '*User*\njdoe', verbatim: true },
            { type: 'mrkdwn', text: '*Host*\nDEV-0042', verbatim: true },
            { type: 'mrkdwn', text: '*Proxy*\nrt-eu-1 (Artifactory)', verbatim: true },
            { type: 'mrkdwn', text: '*Time*\n2026-11-24T07:59:58.000Z', verbatim: true },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Record e1 · bundle sha256-abc', verbatim: true }] },
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'Open record' }, url: 'https://modtrail.example/v1/records/e1', action_id: 'open_record' },
          ],
        },
      ],
    });
  });

  it('refuses on 4xx with Slack’s error word in the reason', async () => {
    const { url } = await receiver([
      { status: 400, body: 'invalid_payload' },
      { status: 404, body: 'no_service' },
      { status: 410, body: 'channel_is_archived' },
    ]);
    const sink = sinkFor(url);
    expect(await sink.send(alert)).toEqual({ status: 'rejected', code: 'alert.rejected', reason: 'slack answered 400: invalid_payload' });
    expect(await sink.send(alert)).toEqual({ status: 'rejected', code: 'alert.rejected', reason: 'slack answered 404: no_service' });
    expect(await sink.send(alert)).toEqual({ status: 'rejected', code: 'alert.rejected', reason: 'slack answered 410: channel_is_archived' });
  });

  it('asks for a retry on 429 (with its Retry-After when sent) and on 5xx', async () => {
    const { url } = await receiver([
      { status: 429, headers: { 'retry-after': '7' }, body: 'rate_limited' },
      { status: 429 },
      { status: 500, body: 'rollup_error' },
      { status: 503, headers: { 'retry-after': '2' } },
    ]);
    const sink = sinkFor(url);
    expect(await sink.send(alert)).toEqual({ status: 'retry', reason: 'slack answered 429: rate_limited', retryAfterMs: 7000 });
    expect(await sink.send(alert)).toEqual({ status: 'retry', reason: 'slack answered 429' });
    expect(await sink.send(alert)).toEqual({ status: 'retry', reason: 'slack answered 500: rollup_error' });
    expect(await sink.send(alert)).toEqual({ status: 'retry', reason: 'slack answered 503', retryAfterMs: 2000 });
  });

  it('does not follow a redirect', async () => {
    const { url, seen } = await receiver([{ status: 302, headers: { location: '/elsewhere' } }]);
    expect(await sinkFor(url).send(alert)).toEqual({ status: 'rejected', code: 'alert.rejected', reason: 'slack answered 302' });
    expect(seen).toHaveLength(1);
  });

  it('asks for a retry when nothing listens or nothing answers in time', async () => {
    const nobody = `http://127.0.0.1:${await closedPort()}${hookPath}`;
    expect(await sinkFor(nobody, 1000).send(alert)).toEqual({ status: 'retry', reason: 'slack unreachable: ECONNREFUSED' });
    expect(await sinkFor(`http://127.0.0.1:1${hookPath}`, 1000).send(alert)).toEqual({ status: 'retry', reason: 'slack unreachable: bad port' });
    const { url } = await receiver([{ status: 200, hang: true }]);
    expect(await sinkFor(url, 200).send(alert)).toEqual({ status: 'retry', reason: 'slack did not answer within 200 ms' });
  });

  it('never puts the webhook URL or its token in a reason, even when the answer echoes them', async () => {
    const echo = (request: ReceivedRequest): string => `no_service for http://127.0.0.1${request.url} (${token}) ${'.'.repeat(120)} ${token}`;
    const { url } = await receiver([
      { status: 404, body: echo },
      { status: 500, body: echo },
      { status: 429, body: echo },
    ]);
    const sink = sinkFor(url);
    const settlements: Settlement[] = [await sink.send(alert), await sink.send(alert), await sink.send(alert)];
    settlements.push(await sinkFor(`http://127.0.0.1:${await closedPort()}${hookPath}`, 1000).send(alert));
    settlements.push(await sinkFor(`http://127.0.0.1:1${hookPath}`, 1000).send(alert));
    for (const settlement of settlements) {
      expect(settlement.status).not.toBe('delivered');
      const reason = 'reason' in settlement ? settlement.reason : '';
      expect(reason).not.toContain(token.slice(0, 8));
      expect(reason).not.toContain(hookPath);
    }
    expect(settlements[0]).toEqual({ status: 'rejected', code: 'alert.rejected', reason: `slack answered 404: no_service for http://127.0.0.1[redacted] ([redacted]) ${'.'.repeat(120)} [redacted]` });
  });
});

describe('slackConfigSchema', () => {
  it('is off without a URL and validates what is set', () => {
    expect(slackConfigSchema.parse(undefined)).toEqual({ timeoutMs: 10_000 });
    expect(slackConfigSchema.safeParse({ url: 'hooks.slack.com/services/x' }).success).toBe(false);
    expect(slackConfigSchema.safeParse({ url: 'https://hooks.slack.com/services/T/B/x', recordUrlTemplate: 'https://m.example/records' }).success).toBe(false);
    expect(slackConfigSchema.safeParse({ url: 'https://hooks.slack.com/services/T/B/x', channel: '#sec' }).success).toBe(false);
    expect(slackConfigSchema.parse({ url: 'https://hooks.slack.com/services/T/B/x', recordUrlTemplate: template })).toEqual({
      url: 'https://hooks.slack.com/services/T/B/x',
      recordUrlTemplate: template,
      timeoutMs: 10_000,
    });
  });
});
