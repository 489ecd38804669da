// Athens's text logs: logrus's dev formatter (`INFO[7:39AM]: msg<TAB>k=v k=v `, the default up to v0.17)
// and key=value lines from logrus's TextFormatter or slog's TextHandler (`time=7:39AM level=INFO msg=...`).
import { parseRfc3339 } from '../rfc3339.js';
import { stripAnsi } from '../terminal-colour.js';
import { parseKeyValues } from './key-value.js';
import { resolveKitchenTime } from './kitchen-time.js';
import { levelOf, rejectEntry, type EntryResult } from './log-entry.js';

const devLine = /^([A-Za-z]+)\[([^\]\n]*)\]: ([\s\S]*)$/;
/** logrus's TextFormatter on a terminal writes seconds since start-up instead of a time: `INFO[0042] msg`. */
const terminalLine = /^[A-Za-z]+\[\d+\] /;

/** Whether a line has one of the text shapes, without reading it fully (for format detection). */
export function isAthensDevLine(line: string): boolean {
  return devLine.test(stripAnsi(line));
}

/** undefined when the line has no text shape at all, so the caller can say it is not an Athens line. */
export function readTextLine(line: string, receivedAt: Date): EntryResult | undefined {
  const plain = stripAnsi(line);
  const dev = devLine.exec(plain);
  if (dev) return readDevLine(dev[1] ?? '', dev[2] ?? '', dev[3] ?? '', receivedAt);
  if (terminalLine.test(plain)) {
    return rejectEntry('parse.bad_timestamp', 'logrus terminal format carries seconds since start-up, not a time');
  }
  const fields = parseKeyValues(plain);
  if (fields?.has('msg') === true) return readKeyValueLine(fields, receivedAt);
  return undefined;
}

function readDevLine(levelText: string, timeText: string, rest: string, receivedAt: Date): EntryResult {
  const time = resolveKitchenTime(timeText, receivedAt);
  if (!time) return rejectEntry('parse.bad_timestamp', `time of day ${JSON.stringify(timeText)} is not like 7:39AM`);
  const tab = rest.indexOf('\t');
  const parsed = tab < 0 ? new Map<string, string>() : parseKeyValues(rest.slice(tab + 1));
  // Fields that do not read as key=value stay part of the message rather than being lost.
  const message = tab < 0 || parsed === undefined ? rest : rest.slice(0, tab);
  const level = levelOf(levelText);
  const fields = parsed ?? new Map<string, string>();
  return { ok: true, entry: level === undefined ? { time, message, fields } : { time, message, fields, level } };
}

function readKeyValueLine(fields: Map<string, string>, receivedAt: Date): EntryResult {
  const timeText = fields.get('time');
  if (timeText === undefined) return rejectEntry('parse.bad_timestamp', 'line has no "time" field');
  const time = parseRfc3339(timeText) ?? resolveKitchenTime(timeText, receivedAt);
  if (!time) return rejectEntry('parse.bad_timestamp', `"time" ${JSON.stringify(timeText)} is neither RFC 3339 nor like 7:39AM`);
  const level = levelOf(fields.get('level'));
  const message = fields.get('msg') ?? '';
  return { ok: true, entry: level === undefined ? { time, message, fields } : { time, message, fields, level } };
}
