import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../../telemetry/logger.js';

/** Routes kafkajs's own log entries into the service's structured logger. */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...fields } = log;
      const child = logger.child({ component: 'kafkajs' });
      if (level === logLevel.ERROR) child.error(fields, message);
      else if (level === logLevel.WARN) child.warn(fields, message);
      else if (level === logLevel.INFO) child.info(fields, message);
      else child.debug(fields, message);
    };
}
