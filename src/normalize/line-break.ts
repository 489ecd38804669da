// The line break a log line may still carry when a parser is called on it directly.

/** The text without a final "\r\n", "\n" or "\r": exactly what `text.replace(/\r?\n?$/, '')` removes, without a regex run. */
export function withoutLineBreak(text: string): string {
  const last = text.length - 1;
  const code = text.charCodeAt(last);
  if (code === 0x0a) return text.slice(0, text.charCodeAt(last - 1) === 0x0d ? last - 1 : last);
  return code === 0x0d ? text.slice(0, last) : text;
}
