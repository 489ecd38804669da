import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { parseSealKeys } from '../integrity/keys.js';
import { keysExportPublic, keysGenerate } from './keys.js';

const dir = mkdtempSync(join(tmpdir(), 'modtrail-keys-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { out, text: () => text };
}

describe('modtrail keys', () => {
  it('generates a private key that loads as a seal key, with the kid and algorithm asked for', async () => {
    const { out, text } = capture();
    expect(await keysGenerate({ kid: 'seal-x', alg: 'ES256' }, out)).toBe(0);
    const jwk = JSON.parse(text()) as { kid: string; alg: string; d?: string; crv: string };
    expect(jwk).toMatchObject({ kid: 'seal-x', alg: 'ES256', crv: 'P-256' });
    expect(jwk.d).toBeTypeOf('string');
    const keyring = await parseSealKeys(text(), { source: 'generated' });
    expect(keyring.active.kid).toBe('seal-x');
  });

  it('refuses an algorithm seals do not use', async () => {
    await expect(keysGenerate({ alg: 'RS256' }, capture().out)).rejects.toMatchObject({ code: 'config.invalid' });
  });

  it('exports only the public parts of the configured keys', async () => {
    const generated = capture();
    await keysGenerate({ kid: 'k1', alg: 'EdDSA' }, generated.out);
    const file = join(dir, 'keys.json');
    writeFileSync(file, generated.text());
    const { out, text } = capture();
    expect(await keysExportPublic(configSchema.parse({ integrity: { keys: { file } } }), out)).toBe(0);
    const jwks = JSON.parse(text()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid: 'k1', kty: 'OKP', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(text()).not.toContain((JSON.parse(generated.text()) as { d: string }).d);
  });

  it('says so when no keys are configured', async () => {
    await expect(keysExportPublic(configSchema.parse({}), capture().out)).rejects.toThrow('integrity.keys is not set');
  });
});
