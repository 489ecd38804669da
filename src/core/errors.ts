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
  'store.index_closed': { retriable: false, httpStatus: 500, title: "The record's daily index is write-blocked or closed" },
  'store.lifecycle_failed': { retriable: true, httpStatus: 503, title: 'Index write block or retention step failed' },
  'alert.delivery_failed': { retriable: true, httpStatus: 502, title: 'Alert delivery failed' },
  'alert.rejected': { retriable: false, httpStatus: 502, title: 'Alert receiver refused the alert' },
  'source.unavailable': { retriable: true, httpStatus: 503, title: 'Source unavailable' },
  'deadletter.failed': { retriable: true, httpStatus: 503, title: 'Dead-letter write failed' },
  'integrity.seal_conflict': { retriable: false, httpStatus: 409, title: 'Another writer sealed this sequence (the chain would fork)' },
  'integrity.unhashable': { retriable: false, httpStatus: 400, title: 'Record is not JSON data and cannot be hashed' },
  'api.bad_request': { retriable: false, httpStatus: 400, title: 'Bad request' },
  'api.unauthorized': { retriable: false, httpStatus: 401, title: 'Authentication required' },
  'api.forbidden': { retriable: false, httpStatus: 403, title: 'Forbidden' },
  'api.not_found': { retriable: false, httpStatus: 404, title: 'Not found' },
  'api.payload_too_large': { retriable: false, httpStatus: 413, title: 'Request too large' },
  'api.unsupported_media_type': { retriable: false, httpStatus: 415, title: 'Unsupported media type' },
  'api.internal': { retriable: false, httpStatus: 500, title: 'Internal error' },
  'export.not_ready': { retriable: true, httpStatus: 409, title: 'Export not finished' },
  'export.busy': { retriable: true, httpStatus: 503, title: 'Too many exports running' },
  'export.failed': { retriable: false, httpStatus: 500, title: 'Export failed' },
  'query.invalid_cursor': { retriable: false, httpStatus: 400, title: 'Invalid pagination cursor' },
  'query.cursor_expired': { retriable: false, httpStatus: 410, title: 'Pagination cursor expired' },
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
