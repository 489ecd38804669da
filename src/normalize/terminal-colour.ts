// Loggers writing to a terminal wrap levels, keys and status codes in ANSI SGR sequences such as "\u001b[32m".
const ansiSequence = /\u001b\[[0-9;]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ansiSequence, '');
}
