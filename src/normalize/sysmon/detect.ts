// Recognises a Sysmon event when nothing named its format: Windows event XML or Winlogbeat JSON that says Sysmon.
import { sysmonProvider } from './sysmon-event.js';

const eventXml = /^\s*(?:<\?xml[^>]*\?>\s*)?<Event\s+xmlns=(["'])http:\/\/schemas\.microsoft\.com\/win\/2004\/08\/events\/event\1/;
const sysmonXmlMarks = [
  /<Provider\s+Name=(["'])Microsoft-Windows-Sysmon\1/,
  /<Channel>Microsoft-Windows-Sysmon\/Operational<\/Channel>/,
] as const;
/** Without provider and channel, two data fields only Sysmon writes together. */
const sysmonDataNames = [/<Data\s+Name=(["'])UtcTime\1/, /<Data\s+Name=(["'])ProcessGuid\1/] as const;
const sysmonChannel = `${sysmonProvider}/Operational`;

export function looksLikeSysmon(line: string): boolean {
  if (eventXml.test(line)) {
    return sysmonXmlMarks.some((mark) => mark.test(line)) || sysmonDataNames.every((mark) => mark.test(line));
  }
  if (!line.trimStart().startsWith('{')) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return false;
  }
  const winlog = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Reflect.get(parsed, 'winlog') : undefined;
  if (typeof winlog !== 'object' || winlog === null || Array.isArray(winlog)) return false;
  return Reflect.get(winlog, 'provider_name') === sysmonProvider || Reflect.get(winlog, 'channel') === sysmonChannel;
}
