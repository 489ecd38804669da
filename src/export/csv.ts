// CSV rows of audit records: fixed columns, RFC 4180 quoting, and a guard against spreadsheet formula injection.
import type { AuditRecord } from '../core/record.js';

/** The columns, in order; a list value (rule ids) is joined with ';'. Documented in docs/EXPORTS.md. */
export const csvColumns: readonly { name: string; value: (record: AuditRecord) => string | number | undefined }[] = [
  { name: '@timestamp', value: (r) => r['@timestamp'] },
  { name: 'event.id', value: (r) => r.event?.id },
  { name: 'event.dataset', value: (r) => r.event?.dataset },
  { name: 'event.action', value: (r) => r.event?.action },
  { name: 'event.outcome', value: (r) => r.event?.outcome },
  { name: 'event.severity', value: (r) => r.event?.severity },
  { name: 'rule.id', value: (r) => r.rule?.id.join(';') },
  { name: 'user.name', value: (r) => r.user?.name },
  { name: 'host.name', value: (r) => r.host?.name },
  { name: 'source.ip', value: (r) => r.source?.ip },
  { name: 'package.name', value: (r) => r.package?.name },
  { name: 'package.version', value: (r) => r.package?.version },
  { name: 'observer.product', value: (r) => r.observer?.product },
  { name: 'observer.name', value: (r) => r.observer?.name },
  { name: 'url.path', value: (r) => r.url?.path },
  { name: 'goenv.name', value: (r) => r.goenv?.name },
  { name: 'goenv.value', value: (r) => r.goenv?.value },
  { name: 'modtrail.origin', value: (r) => (r.modtrail?.origin ? `${r.modtrail.origin.topic}/${r.modtrail.origin.partition}/${r.modtrail.origin.offset}` : undefined) },
  { name: 'event.hash', value: (r) => r.event?.hash },
];

/** Characters that make Excel, LibreOffice or Sheets read a cell as a formula (OWASP CSV injection). */
const formulaStart = /^[=+\-@\t\r]/;

/** One cell: a leading formula character is defused with a quote ('), then RFC 4180 quoting when needed. */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  // Numbers are data, never formulas; only text can smuggle one in.
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const crlf = '\r\n';

// Our own column names, written as they are: '@timestamp' is a name here, not a formula to defuse.
export const csvHeader = (): string => csvColumns.map((column) => column.name).join(',') + crlf;

/** One record as one CSV row, CRLF-terminated (RFC 4180). */
export const csvRow = (record: AuditRecord): string => csvColumns.map((column) => csvCell(column.value(record))).join(',') + crlf;
