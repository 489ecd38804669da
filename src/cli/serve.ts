import { loadConfig } from '../config/load.js';
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
