// Raw event → record or rejection: decode, pick the format (header, then topic, then detection), parse.
import { sourceFormats, type Parser, type ParseResult, type RawEvent, type SourceFormat } from '../core/component.js';
import { ModtrailError } from '../core/errors.js';
import { detectFormat } from './detect-format.js';

export type Normalize = (event: RawEvent, ingestedAt: Date) => ParseResult;

const formatHeader = 'modtrail-format';
const observerHeader = 'modtrail-observer';

type FormatChoice = { ok: true; format: SourceFormat } | { ok: false; rejection: { code: 'parse.unknown_format'; reason: string } };

export function createNormalizer(parsers: readonly Parser[], topicFormats: Record<string, SourceFormat>): Normalize {
  const byFormat = new Map<SourceFormat, Parser>();
  for (const parser of parsers) {
    if (byFormat.has(parser.format)) throw new ModtrailError('config.invalid', `two parsers for format "${parser.format}"`);
    byFormat.set(parser.format, parser);
  }
  // One decoder is safe to reuse: decode() without { stream: true } keeps no state between calls.
  const decoder = new TextDecoder('utf-8', { fatal: true });

  return (event, ingestedAt) => {
    let text: string;
    try {
      text = decoder.decode(event.value);
    } catch {
      return { ok: false, rejection: { code: 'parse.encoding', reason: 'event is not valid UTF-8' } };
    }
    const raw = withoutLineEnd(text);
    const choice = chooseFormat(event, raw, topicFormats);
    if (!choice.ok) return choice;
    const parser = byFormat.get(choice.format);
    if (!parser) return { ok: false, rejection: { code: 'parse.unknown_format', reason: `no parser for format "${choice.format}"` } };
    const observerName = header(event, observerHeader);
    const { receivedAt, origin } = event;
    return parser.parse(
      raw,
      observerName === undefined ? { receivedAt, ingestedAt, origin } : { receivedAt, ingestedAt, origin, observerName },
    );
  };
}

/** The text without one trailing "\n" or "\r\n" (a lone "\r" stays). */
function withoutLineEnd(text: string): string {
  const last = text.length - 1;
  if (text.charCodeAt(last) !== 0x0a) return text;
  return text.slice(0, text.charCodeAt(last - 1) === 0x0d ? last - 1 : last);
}

function chooseFormat(event: RawEvent, raw: string, topicFormats: Record<string, SourceFormat>): FormatChoice {
  const named = header(event, formatHeader);
  if (named !== undefined) {
    if (isSourceFormat(named)) return { ok: true, format: named };
    const reason = `header ${formatHeader} names "${named}", not one of ${sourceFormats.join(', ')}`;
    return { ok: false, rejection: { code: 'parse.unknown_format', reason } };
  }
  const topicFormat = Object.hasOwn(topicFormats, event.origin.topic) ? topicFormats[event.origin.topic] : undefined;
  if (topicFormat !== undefined) return { ok: true, format: topicFormat };
  const detected = detectFormat(raw);
  if (detected !== undefined) return { ok: true, format: detected };
  return { ok: false, rejection: { code: 'parse.unknown_format', reason: 'format not named and not detectable' } };
}

const isSourceFormat = (value: string): value is SourceFormat => (sourceFormats as readonly string[]).includes(value);

/** A header's trimmed value, matching the name in any case; undefined when absent or blank. */
function header(event: RawEvent, name: string): string | undefined {
  const headers = event.headers;
  // for…in with the own-key test visits what Object.keys would list, in its order, without an array per call.
  for (const key in headers) {
    // The first key that matches in any case; the length test spares lower-casing every other header.
    if (key.length !== name.length || !Object.hasOwn(headers, key) || key.toLowerCase() !== name) continue;
    const value = headers[key]?.trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}
