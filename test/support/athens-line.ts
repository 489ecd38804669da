/** An Athens JSON access line for the i-th download of golang.org/x/text (v0.i.0), at second i of 08:00 on 2026-11-24. */
export const athensDownloadLine = (i: number, requestId: string): string =>
  JSON.stringify({
    time: new Date(Date.UTC(2026, 10, 24, 8, 0, i)).toISOString(),
    level: 'info',
    msg: 'incoming request',
    'http-method': 'GET',
    'http-path': `/golang.org/x/text/@v/v0.${i}.0.zip`,
    'http-status': 200,
    'request-id': requestId,
  });
