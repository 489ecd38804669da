/** The one error catalogue: stable codes, whether a retry can help, and the HTTP status for the API. */
export const errorCatalogue = {
  'config.invalid': { retriable: false, httpStatus: 500, title: 'Invalid configuration' },
  'parse.empty': { retriable: false, httpStatus: 400, title: 'Empty event' },
  'parse.malformed': { retriable: false, httpStatus: 400, title: 'Malformed event' },
  'parse.unknown_format': { retriable: false, httpStatus: 400, title: 'Unknown or undetectable source format' },
  'parse.not_access_line': { retriable: false, httpStatus: 400, title: 'Not an access-log line' },
  'parse.bad_timestamp': { retriable: false, httpStatus: 400, title: 'Timestamp missing or invalid' },
  'parse.encoding': { retriable: false, httpStatus: 400, title: 'Event is not valid UTF-8' },
  'policy.load_failed': { retriable: false, httpStatus: 500, title: 'Policy bundle or data could not be loaded' },
  'policy.data_invalid': { retriable: false, httpStatus: 400, title: 'Policy data is invalid' },
  'policy.evaluation_failed': { retriable: false, httpStatus: 500, title: 'Policy evaluation failed' },
  'store.unavailable': { retriable: true, httpStatus: 503, title: 'Store unavailable' },
  'store.rejected': { retriable: false, httpStatus: 500, title: 'Store rejected the record' },
  'store.throttled': { retriable: true, httpStatus: 503, title: 'Store throttled the write' },
  'alert.delivery_failed': { retriable: true, httpStatus: 502, title: 'Alert delivery failed' },
  'alert.rejected': { retriable: false, httpStatus: 502, title: 'Alert receiver refused the alert' },
  'source.unavailable': { retriable: true, httpStatus: 503, title: 'Source unavailable' },
  'deadletter.failed': { retriable: true, httpStatus: 503, title: 'Dead-letter write failed' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export class ModtrailError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModtrailError';
    this.code = code;
    this.retriable = errorCatalogue[code].retriable;
  }
}

export const isRetriable = (error: unknown): boolean => error instanceof ModtrailError && error.retriable;
