import { describe, expect, it } from 'vitest';
import type { Alert, Settlement } from '../../core/component.js';
import type { AuditRecord } from '../../core/record.js';
import { closedPort, loopbackReceivers, type PlannedResponse, type ReceivedRequest } from '../../../test/support/loopback-receiver.js';
import { artifactoryAlertWith } from '../../../test/support/sample-alert.js';
import { pagerDutyConfigSchema, pagerDutyEventsUrl } from './config.js';
import { pagerDutyLimits, pagerDutySeverity, triggerEvent } from './pagerduty-event.js';
import { PagerDutySink } from './pagerduty-sink.js';

/** The Artifactory alert, matched by two rules. */
const alert = (recordChanges: Partial<AuditRecord> = {}): Alert =>
  artifactoryAlertWith(recordChanges, { rule: { id: ['module.not_allowlisted', 'module.new_major'], name: ['Module outside the allowlist', 'New major version'], version: 'sha256-abc' } });

const routingKey = 'R0UT1NGKEYS3CR3T0000000000000000';
const template = 'https://modtrail.example/v1/records/{id}';

const accepted: PlannedResponse = { status: 202, body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: 'f'.repeat(40) }) };

/** A real receiver on loopback answering each request with the next planned response. */
const receiver = loopbackReceivers({ path: '/v2/enqueue', otherwise: accepted, headers: { 'content-type': 'application/json' } });

/** `null` for a sink without a record URL template. */
const sinkFor = (url: string, recordUrlTemplate: string | null = template): PagerDutySink =>
  new PagerDutySink({ url, routingKey, timeoutMs: 2000, recordUrlTemplate: recordUrlTemplate ?? undefined });
const invalidEvent = (...errors: string[]): string => JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors });

describe('PagerDutySink', () => {
  it('sends a trigger event keyed by the alert fingerprint and settles delivered on 202', async () => {
    const { url, seen } = await receiver([accepted]);
    expect(await sinkFor(url).send(alert())).toEqual({ status: 'delivered' });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/v2/enqueue');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: 'f'.repeat(40),
      payload: {
        summary: 'Module outside the allowlist, New major version (high): github.com/evil-corp/backdoor@v1.2.3 by jdoe on DEV-0042',
        source: 'rt-eu-1',
        severity: 'error',
        timestamp: '2026-11-24T07:59:58.000Z',
        component: 'github.com/evil-corp/backdoor',
        group: 'module.not_allowlisted,module.new_major',
        class: 'artifactory.request',
        custom_details: {
          rule: 'module.not_allowlisted, module.new_major',
          severity: '4 high',
          module: 'github.com/evil-corp/backdoor@v1.2.3',
          user: 'jdoe',
          host: 'DEV-0042',
          proxy: 'rt-eu-1 (Artifactory)',
          time: '2026-11-24T07:59:58.000Z',
          record_id: 'e1',
          bundle_revision: 'sha256-abc',
          alert_id: 'a'.repeat(40),
        },
      },
      links: [{ href: 'https://modtrail.example/v1/records/e1', text: 'Open record in modtrail' }],
      client: 'modtrail',
    });
  });

  it('leaves links out without a template and component out without a module', async () => {
    const { url, seen } = await receiver([accepted]);
    const agentAlert = alert({ package: undefined, observer: { product: 'modtrail-agent', type: 'agent' }, goenv: { name: 'GOPROXY', value: 'direct' } });
    expect(await sinkFor(url, null).send(agentAlert)).toEqual({ status: 'delivered' });
    const event = JSON.parse(seen[0]!.body) as { links?: unknown; payload: Record<string, unknown> };
    expect(event.links).toBeUndefined();
    expect(event.payload.component).toBeUndefined();
    expect(event.payload.source).toBe('modtrail-agent');
    expect(event.payload.summary).toBe('Module outside the allowlist, New major version (high): GOPROXY=direct by jdoe on DEV-0042');
  });

  it('resolves with the same dedup key', async () => {
    const { url, seen } = await receiver([accepted]);
    expect(await sinkFor(url).resolve('f'.repeat(40))).toEqual({ status: 'delivered' });
    expect(JSON.parse(seen[0]!.body)).toEqual({ routing_key: routingKey, event_action: 'resolve', dedup_key: 'f'.repeat(40) });
    expect(seen[0]!.headers['content-type']).toBe('application/json');
  });

  it('refuses an invalid event with PagerDuty’s errors in the reason', async () => {
    const { url } = await receiver([{ status: 400, body: invalidEvent("'payload.summary' is missing or blank", "'payload.source' is missing or blank") }, { status: 403, body: 'nope' }]);
    const sink = sinkFor(url);
    expect(await sink.send(alert())).toEqual({
      status: 'rejected',
      code: 'alert.rejected',
      reason: "pagerduty answered 400: Event object is invalid: 'payload.summary' is missing or blank; 'payload.source' is missing or blank",
    });
    expect(await sink.send(alert())).toEqual({ status: 'rejected', code: 'alert.rejected', reason: 'pagerduty answered 403: nope' });
  });

  it('asks for a retry on 429, with or without Retry-After, and on 5xx', async () => {
    const { url } = await receiver([
      { status: 429, body: JSON.stringify({ status: 'throttle event', message: 'Requests for this service are arriving too quickly.' }) },
      { status: 429, headers: { 'retry-after': '60' } },
      { status: 500 },
    ]);
    const sink = sinkFor(url);
    const withoutRetryAfter = await sink.send(alert());
    expect(withoutRetryAfter).toEqual({ status: 'retry', reason: 'pagerduty answered 429: Requests for this service are arriving too quickly.' });
    expect('retryAfterMs' in withoutRetryAfter).toBe(false);
    expect(await sink.send(alert())).toEqual({ status: 'retry', reason: 'pagerduty answered 429', retryAfterMs: 60_000 });
    expect(await sink.resolve('f'.repeat(40))).toEqual({ status: 'retry', reason: 'pagerduty answered 500' });
  });

  it('asks for a retry when nothing listens', async () => {
    const settlement = await sinkFor(`http://127.0.0.1:${await closedPort()}/v2/enqueue`).send(alert());
    expect(settlement).toEqual({ status: 'retry', reason: 'pagerduty unreachable: ECONNREFUSED' });
  });

  it('never puts the routing key in a reason, even when the answer quotes it', async () => {
    const quote = (request: ReceivedRequest): string => invalidEvent(`${'x'.repeat(280)} unknown routing key ${(JSON.parse(request.body) as { routing_key: string }).routing_key}`);
    const { url } = await receiver([
      { status: 400, body: quote },
      { status: 429, body: quote },
      { status: 503, body: (request) => `upstream said ${request.body}` },
    ]);
    const sink = sinkFor(url);
    const settlements: Settlement[] = [await sink.send(alert()), await sink.send(alert()), await sink.resolve('f'.repeat(40))];
    for (const settlement of settlements) {
      expect(settlement.status).not.toBe('delivered');
      const reason = 'reason' in settlement ? settlement.reason : '';
      expect(reason).not.toContain(routingKey.slice(0, 8));
    }
    expect((settlements[2] as { reason: string }).reason).toContain('"routing_key":"[redacted]"');
  });
});

describe('triggerEvent', () => {
  it('maps severity 5/4/3/≤2 to critical/error/warning/info', () => {
    expect(([1, 2, 3, 4, 5] as const).map(pagerDutySeverity)).toEqual(['info', 'info', 'warning', 'error', 'critical']);
  });

  it('keeps the summary within 1024 characters and passes hostile text through as plain data', () => {
    const event = triggerEvent(alert({ package: { name: `[click](http://evil) <!channel> ${'m'.repeat(3000)}`, type: 'golang' } }), routingKey) as {
      payload: { summary: string; component: string; custom_details: Record<string, string> };
    };
    expect(event.payload.summary).toHaveLength(pagerDutyLimits.summary);
    expect(event.payload.summary.endsWith('…')).toBe(true);
    expect(event.payload.summary).toContain('[click](http://evil) <!channel> ');
    expect(event.payload.custom_details.module).toHaveLength(pagerDutyLimits.detail);
  });
});

describe('pagerDutyConfigSchema', () => {
  it('is off without a routing key, defaults to the Events API v2 endpoint and checks the key length', () => {
    expect(pagerDutyConfigSchema.parse(undefined)).toEqual({ url: pagerDutyEventsUrl, timeoutMs: 10_000 });
    expect(pagerDutyEventsUrl).toBe('https://events.pagerduty.com/v2/enqueue');
    const short = pagerDutyConfigSchema.safeParse({ routingKey: 'abc' });
    expect(short.error?.issues[0]?.message).toBe('must be the 32-character integration key of an Events API v2 integration');
    expect(JSON.stringify(short.error?.issues)).not.toContain('abc');
    expect(pagerDutyConfigSchema.parse({ routingKey })).toEqual({ routingKey, url: pagerDutyEventsUrl, timeoutMs: 10_000 });
  });
});
