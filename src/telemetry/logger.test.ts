import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('logger', () => {
  it('writes JSON lines and never the secrets', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      {
        webhook: { url: 'https://hooks.slack.com/services/T0/B0/XYZ', secret: 'whsec_s3cr3t' },
        opensearch: { password: 'hunter2' },
        alerts: { slack: { url: 'https://hooks.slack.com/services/T1/B1/SLACKSECRET' }, pagerduty: { routingKey: 'R0UT1NGKEY0000000000000000000000' } },
      },
      'configured',
    );
    logger.flush();
    await new Promise((resolve) => setImmediate(resolve));
    const text = lines.join('');
    expect(JSON.parse(text.trim())).toMatchObject({ msg: 'configured', service: 'modtrail', webhook: { secret: '[redacted]', url: '[redacted]' } });
    expect(text).not.toContain('whsec_s3cr3t');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('XYZ');
    expect(text).not.toContain('SLACKSECRET');
    expect(text).not.toContain('R0UT1NGKEY');
  });
});
