import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/component.js';
import { ecsVersion } from '../../core/record.js';
import { loopbackReceivers } from '../../../test/support/loopback-receiver.js';
import { sign, verify } from './signature.js';
import { WebhookSink } from './webhook-sink.js';

const alert: Alert = {
  id: 'a'.repeat(40),
  '@timestamp': '2026-11-24T08:00:00.000Z',
  rule: { id: ['module.not_allowlisted'], name: ['Module outside the allowlist'], version: 'sha256-abc' },
  severity: 3,
  fingerprint: 'f'.repeat(40),
  record: {
    '@timestamp': '2026-11-24T08:00:00.000Z',
    ecs: { version: ecsVersion },
    event: { id: 'e1', kind: 'event', category: ['web'], type: ['access'], action: 'module.zip', outcome: 'success', dataset: 'athens.access', ingested: '2026-11-24T08:00:01.000Z', original: 'raw' },
    observer: { product: 'athens', type: 'proxy', name: 'athens-eu-1' },
    package: { name: 'github.com/evil-corp/backdoor', version: 'v1.2.3', type: 'golang' },
  },
};

/** A real receiver on loopback answering each request with the next planned response. */
const receiver = loopbackReceivers({ path: '/hook' });

describe('Standard Webhooks signature', () => {
  it('reproduces the specification test vector', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const expected = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(expected);
    expect(verify(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}', `v1,bogus ${expected}`)).toBe(true);
    expect(verify(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232315}', expected)).toBe(false);
  });
});

describe('WebhookSink', () => {
  const secret = `whsec_${Buffer.from('a test secret of 32 bytes length').toString('base64')}`;

  it('posts the alert as signed JSON and settles delivered on 2xx', async () => {
    const { url, seen } = await receiver([{ status: 204 }]);
    const sink = new WebhookSink({ url, secret, timeoutMs: 2000 }, () => new Date('2026-11-24T08:00:05Z'));
    expect(await sink.send(alert)).toEqual({ status: 'delivered' });
    const [request] = seen;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['webhook-id']).toBe(alert.id);
    expect(request!.headers['webhook-timestamp']).toBe('1795507205');
    expect(verify(secret, alert.id, 1795507205, request!.body, String(request!.headers['webhook-signature']))).toBe(true);
    expect(JSON.parse(request!.body)).toMatchObject({
      type: 'modtrail.alert',
      data: { severity: 3, rule: { id: ['module.not_allowlisted'] }, record: { module: 'github.com/evil-corp/backdoor', version: 'v1.2.3', id: 'e1' } },
    });
  });

  it('sends no signature header without a secret', async () => {
    const { url, seen } = await receiver([{ status: 200 }]);
    await new WebhookSink({ url, timeoutMs: 2000 }).send(alert);
    expect(seen[0]!.headers['webhook-signature']).toBeUndefined();
  });

  it('asks for a retry on 5xx and on 429 with the Retry-After, and refuses on other 4xx', async () => {
    const { url } = await receiver([{ status: 503 }, { status: 429, headers: { 'retry-after': '3' } }, { status: 404 }]);
    const sink = new WebhookSink({ url, timeoutMs: 2000 });
    expect(await sink.send(alert)).toEqual({ status: 'retry', reason: 'webhook answered 503' });
    expect(await sink.send(alert)).toEqual({ status: 'retry', reason: 'webhook answered 429', retryAfterMs: 3000 });
    expect(await sink.send(alert)).toEqual({ status: 'rejected', code: 'alert.rejected', reason: 'webhook answered 404' });
  });

  it('asks for a retry when nothing listens', async () => {
    const settlement = await new WebhookSink({ url: 'http://127.0.0.1:1/hook', timeoutMs: 1000 }).send(alert);
    expect(settlement.status).toBe('retry');
  });
});
