// Loggers writing to a terminal wrap levels, keys and status codes in ANSI SGR sequences such as "\u001b[32m".
const ansiSequence = /\u001b\[[0-9;]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  // Most lines carry no escape at all; looking for one is far cheaper than running the pattern.
  return text.includes('\u001b') ? text.replace(ansiSequence, '') : text;
}
