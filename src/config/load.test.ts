import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.kafka.brokers).toEqual(['127.0.0.1:19092']);
    expect(config.kafka.topics).toEqual({ proxy: 'modtrail.proxy', agent: 'modtrail.agent', deadLetter: 'modtrail.deadletter', api: 'modtrail.api' });
    expect(config.opensearch.indexPrefix).toBe('modtrail');
    expect(config.alerts.webhook.url).toBeUndefined();
    expect(Object.isFrozen(config.kafka)).toBe(true);
  });

  it('takes a file, then environment variables on top', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modtrail-config-'));
    const file = join(dir, 'modtrail.json');
    writeFileSync(file, JSON.stringify({ kafka: { groupId: 'from-file', brokers: ['k1:9092'] }, log: { level: 'debug' } }));
    const config = loadConfig({ MODTRAIL_KAFKA_BROKERS: 'a:1, b:2', MODTRAIL_CONFIG: file });
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.kafka.groupId).toBe('from-file');
    expect(config.log.level).toBe('debug');
  });

  it('takes the webhook mutual-TLS files from the environment, for the single and for named webhooks alike', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modtrail-config-'));
    const file = join(dir, 'modtrail.json');
    writeFileSync(file, JSON.stringify({ alerts: { sinks: { soc: { type: 'webhook', url: 'https://soc.example/hook', tls: { certFile: '/etc/modtrail/soc.pem', keyFile: '/etc/modtrail/soc.key' } } } } }));
    const config = loadConfig({
      MODTRAIL_CONFIG: file,
      MODTRAIL_ALERTS_WEBHOOK_URL: 'https://hooks.example/modtrail',
      MODTRAIL_ALERTS_WEBHOOK_TLS_CERT_FILE: '/etc/modtrail/client.pem',
      MODTRAIL_ALERTS_WEBHOOK_TLS_KEY_FILE: '/etc/modtrail/client.key',
      MODTRAIL_ALERTS_WEBHOOK_TLS_KEY_PASSPHRASE: 'pass phrase',
      MODTRAIL_ALERTS_WEBHOOK_TLS_CA_FILE: '/etc/modtrail/ca.pem',
    });
    expect(config.alerts.webhook.tls).toEqual({ certFile: '/etc/modtrail/client.pem', keyFile: '/etc/modtrail/client.key', keyPassphrase: 'pass phrase', caFile: '/etc/modtrail/ca.pem' });
    expect(config.alerts.sinks.soc).toMatchObject({ tls: { certFile: '/etc/modtrail/soc.pem', keyFile: '/etc/modtrail/soc.key' } });
    expect(() => loadConfig({ MODTRAIL_ALERTS_WEBHOOK_URL: 'https://hooks.example/modtrail', MODTRAIL_ALERTS_WEBHOOK_TLS_CERT_FILE: '/etc/modtrail/client.pem' })).toThrow(/alerts\.webhook\.tls\.keyFile/);
  });

  it('reports every invalid or unknown setting at once, each by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modtrail-config-'));
    const file = join(dir, 'modtrail.json');
    writeFileSync(file, JSON.stringify({ kafka: { topics: { proxy: '' }, colour: 'blue' } }));
    let message = '';
    try {
      loadConfig({ MODTRAIL_CONFIG: file, MODTRAIL_KAFKA_BROKERS: 'no-port', MODTRAIL_OPENSEARCH_URL: 'not a url', MODTRAIL_FOO: 'x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('MODTRAIL_FOO: unknown setting');
    expect(message).toContain('kafka.brokers.0 (');
    expect(message).toContain('must be host:port');
    expect(message).toContain('opensearch.node (MODTRAIL_OPENSEARCH_URL)');
    expect(message).toContain('kafka.topics.proxy');
    expect(message).toMatch(/colour/);
  });

  it('refuses a config file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modtrail-config-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ nope');
    expect(() => loadConfig({ MODTRAIL_CONFIG: file })).toThrow(/bad\.json/);
  });
});
