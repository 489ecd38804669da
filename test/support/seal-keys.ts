import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSealKeyJwk } from '../../src/integrity/keys.js';

/** A fresh private seal key in a temporary file (mode 0600), for a test's service; `remove` deletes it. */
export async function temporarySealKeyFile(kid = 'test'): Promise<{ file: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'modtrail-test-keys-'));
  const file = join(dir, 'seal-keys.json');
  writeFileSync(file, JSON.stringify(await generateSealKeyJwk(kid)), { mode: 0o600 });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
