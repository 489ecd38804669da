import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../core/component.js';
import { ModtrailError } from '../../core/errors.js';
import { LoopbackReceiver, loopbackReceivers } from '../../../test/support/loopback-receiver.js';
import { athensAlert } from '../../../test/support/sample-alert.js';
import { createTestPki, type TestPki } from '../../../test/support/test-pki.js';
import { sign, verify } from './signature.js';
import { WebhookSink } from './webhook-sink.js';

/** The Athens alert, stamped when the alert was raised. */
const alert: Alert = athensAlert({ '@timestamp': '2026-11-24T08:00:00.000Z' });

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

describe('WebhookSink with mutual TLS', () => {
  let pki: TestPki;
  const open: LoopbackReceiver[] = [];
  const sinks: WebhookSink[] = [];
  /** A real HTTPS receiver on loopback that lets in only clients holding a certificate from the test CA. */
  const mtlsReceiver = async () => {
    const receiver = await LoopbackReceiver.start({ path: '/hook', otherwise: { status: 204 }, tls: { ...pki.server, ca: pki.ca } });
    open.push(receiver);
    return receiver;
  };
  const sink = (config: ConstructorParameters<typeof WebhookSink>[0]) => {
    const made = new WebhookSink(config);
    sinks.push(made);
    return made;
  };

  beforeAll(() => {
    pki = createTestPki();
  });
  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((made) => made.stop()));
    await Promise.all(open.splice(0).map((receiver) => receiver.close()));
  });
  afterAll(() => pki.remove());

  it('presents the configured client certificate and delivers the signed alert', async () => {
    const receiver = await mtlsReceiver();
    const secret = `whsec_${Buffer.from('a test secret of 32 bytes length').toString('base64')}`;
    const settlement = await sink({ url: receiver.url, secret, timeoutMs: 5000, tls: { ...pki.client, caFile: pki.caFile } }).send(alert);
    expect(settlement).toEqual({ status: 'delivered' });
    expect(receiver.seen).toHaveLength(1);
    expect(receiver.seen[0]!.clientCertificate).toBe('modtrail-alerts');
    const request = receiver.seen[0]!;
    expect(verify(secret, alert.id, Number(request.headers['webhook-timestamp']), request.body, String(request.headers['webhook-signature']))).toBe(true);
  });

  it('opens an encrypted client key with its passphrase', async () => {
    const receiver = await mtlsReceiver();
    const tls = { certFile: pki.client.certFile, keyFile: pki.encryptedKeyFile, keyPassphrase: pki.passphrase, caFile: pki.caFile };
    expect(await sink({ url: receiver.url, timeoutMs: 5000, tls }).send(alert)).toEqual({ status: 'delivered' });
    expect(receiver.seen[0]!.clientCertificate).toBe('modtrail-alerts');
  });

  it('gets nothing through when the receiver refuses the client certificate, and asks for a retry', async () => {
    const receiver = await mtlsReceiver();
    const settlement = await sink({ url: receiver.url, timeoutMs: 5000, tls: { ...pki.rogue, caFile: pki.caFile } }).send(alert);
    expect(settlement.status).toBe('retry');
    expect(receiver.seen).toHaveLength(0);
  });

  it('sends nothing to a receiver whose certificate the configured CA did not issue', async () => {
    const receiver = await mtlsReceiver();
    const settlement = await sink({ url: receiver.url, timeoutMs: 5000, tls: { ...pki.client, caFile: pki.rogue.certFile } }).send(alert);
    expect(settlement).toMatchObject({ status: 'retry', reason: expect.stringMatching(/^webhook unreachable: \S+/) as unknown as string });
    expect(receiver.seen).toHaveLength(0);
  });

  it('refuses at construction a file that cannot be read, a key that does not fit, a wrong passphrase, and plain http', () => {
    const refusal = (build: () => unknown): ModtrailError => {
      try {
        build();
      } catch (error) {
        if (error instanceof ModtrailError) return error;
        throw error;
      }
      throw new Error('no refusal');
    };
    const url = 'https://127.0.0.1:9/hook';
    const missing = refusal(() => new WebhookSink({ url, timeoutMs: 1000, tls: { certFile: `${pki.dir}/nope.pem`, keyFile: pki.client.keyFile } }));
    expect(missing.code).toBe('config.invalid');
    expect(missing.message).toContain(`client certificate ${pki.dir}/nope.pem cannot be read (ENOENT)`);
    const mismatch = refusal(() => new WebhookSink({ url, timeoutMs: 1000, tls: { certFile: pki.client.certFile, keyFile: pki.rogue.keyFile } }));
    expect(mismatch.message).toMatch(/^webhook: client certificate .* and key .* cannot be used: .*key values mismatch/);
    const wrongPassphrase = refusal(() => new WebhookSink({ url, timeoutMs: 1000, tls: { certFile: pki.client.certFile, keyFile: pki.encryptedKeyFile, keyPassphrase: 'not it' } }));
    expect(wrongPassphrase.message).toContain('cannot be used');
    expect(wrongPassphrase.message).not.toContain('not it');
    const plain = refusal(() => new WebhookSink({ url: 'http://127.0.0.1:9/hook', timeoutMs: 1000, tls: pki.client }, undefined, 'soc-hook'));
    expect(plain.message).toBe('soc-hook: mutual TLS needs an https:// URL');
  });
});
