import { loadConfig } from '../config/load.js';
import { ModtrailError } from '../core/errors.js';
import { loadSealKeys } from '../integrity/keys.js';
import { buildService } from '../pipeline/build.js';
import { createLogger } from '../telemetry/logger.js';

/** `modtrail serve`: runs the pipeline until SIGINT/SIGTERM, then stops cleanly. Returns the exit code. */
export async function serve(options: { config?: string; policyData?: string; policyBundle?: string }): Promise<number> {
  // Flags win over the file and the environment, and are validated with them.
  const env = {
    ...process.env,
    ...(options.policyData === undefined ? {} : { MODTRAIL_POLICY_DATA: options.policyData }),
    ...(options.policyBundle === undefined ? {} : { MODTRAIL_POLICY_BUNDLE_DIR: options.policyBundle }),
  };
  const config = loadConfig(env, options.config ?? process.env.MODTRAIL_CONFIG);
  // Unsealed records would be tamper evidence in name only: no keys, no service.
  if (config.integrity.keys === undefined) {
    throw new ModtrailError(
      'config.invalid',
      'integrity.keys is not set, so seals cannot be signed: create a key with `modtrail keys generate --kid <kid> > seal-keys.json` (keep it private) and set MODTRAIL_INTEGRITY_KEYS_FILE=seal-keys.json (see docs/INTEGRITY.md)',
    );
  }
  // Bad keys are a configuration error (exit 78), found before anything starts.
  await loadSealKeys(config.integrity.keys, config.integrity.activeKid === undefined ? {} : { activeKid: config.integrity.activeKid });
  const logger = createLogger(config.log.level);
  const service = buildService(config, logger);
  const signalled = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  try {
    await service.start();
    const reason = await Promise.race([signalled, service.failed]);
    logger.info({ signal: reason }, 'stopping');
    await service.stop();
    return 0;
  } catch (error) {
    logger.fatal({ err: error }, 'modtrail failed');
    await service.stop().catch(() => undefined);
    return 1;
  }
}
