import type { Config } from '../config/schema.js';
import { ModtrailError } from '../core/errors.js';
import { generateSealKeyJwk, loadSealKeys, publicJwks, sealAlgorithms, type SealAlgorithm } from '../integrity/keys.js';

/** `modtrail keys generate`: a new private seal key (JWK) on stdout, for the operator to store as the key file. */
export async function keysGenerate(options: { kid?: string; alg: string }, out: NodeJS.WritableStream): Promise<number> {
  if (!(sealAlgorithms as readonly string[]).includes(options.alg)) {
    throw new ModtrailError('config.invalid', `--alg must be one of ${sealAlgorithms.join(', ')}`);
  }
  const kid = options.kid ?? `seal-${new Date().toISOString().slice(0, 10)}`;
  out.write(`${JSON.stringify(await generateSealKeyJwk(kid, options.alg as SealAlgorithm), null, 2)}\n`);
  return 0;
}

/** `modtrail keys export-public`: the public JWKS of the configured seal keys (what /.well-known/jwks.json serves). */
export async function keysExportPublic(config: Readonly<Config>, out: NodeJS.WritableStream): Promise<number> {
  const { keys, activeKid } = config.integrity;
  if (keys === undefined) throw new ModtrailError('config.invalid', 'integrity.keys is not set: there are no seal keys to export');
  const keyring = await loadSealKeys(keys, activeKid === undefined ? {} : { activeKid });
  out.write(`${JSON.stringify(publicJwks(keyring), null, 2)}\n`);
  return 0;
}
