import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths whose values never reach a log line: credentials and webhook secrets. */
export const redactedPaths = [
  'password',
  'secret',
  'token',
  '*.password',
  '*.secret',
  '*.token',
  '*.*.password',
  '*.*.secret',
  '*.*.*.secret',
  'headers.authorization',
  '*.headers.authorization',
  'url',
  '*.url',
  '*.*.url',
  'keyPassphrase',
  '*.keyPassphrase',
  '*.*.keyPassphrase',
  '*.*.*.keyPassphrase',
  'routingKey',
  '*.routingKey',
  '*.*.routingKey',
  // Seal signing keys: the key object and a JWK's private part.
  'privateKey',
  '*.privateKey',
  '*.*.privateKey',
  'd',
  '*.d',
  '*.*.d',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      name: 'modtrail',
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { service: 'modtrail' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination(2),
  );
}
