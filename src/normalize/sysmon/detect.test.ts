import { describe, expect, it } from 'vitest';
import { readParserCases } from '../testdata-runner.js';
import { looksLikeSysmon } from './detect.js';

const ns = 'http://schemas.microsoft.com/win/2004/08/events/event';

describe('looksLikeSysmon', () => {
  it('recognises every Sysmon event in the testdata that is one', () => {
    const cases = readParserCases(new URL('./testdata/cases.json', import.meta.url)).filter(
      (c) => !/another provider|other than Sysmon|document type|truncated|not a Winlogbeat|Artifactory|blank/i.test(c.name),
    );
    expect(cases.length).toBeGreaterThan(15);
    for (const c of cases) expect(looksLikeSysmon(c.raw), c.name).toBe(true);
  });

  it.each([
    [`<Event xmlns='${ns}'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'/><EventID>1</EventID></System></Event>`],
    [`<?xml version="1.0"?>\n<Event xmlns="${ns}"><System><EventID>13</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel></System></Event>`],
    [`<Event xmlns="${ns}"><System><EventID>13</EventID></System><EventData><Data Name="UtcTime">x</Data><Data Name="ProcessGuid">y</Data></EventData></Event>`],
    ['{"winlog":{"provider_name":"Microsoft-Windows-Sysmon","event_id":"13"}}'],
    ['{"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":13}}'],
  ])('recognises %s', (line) => {
    expect(looksLikeSysmon(line)).toBe(true);
  });

  it.each([
    // Other Windows events.
    [`<Event xmlns="${ns}"><System><Provider Name="Microsoft-Windows-Security-Auditing"/><EventID>4657</EventID></System></Event>`],
    ['{"winlog":{"provider_name":"Microsoft-Windows-Security-Auditing","event_id":"4657"}}'],
    ['{"winlog":"Microsoft-Windows-Sysmon"}'],
    // Athens, Artifactory, Nexus and arbitrary JSON.
    ['INFO[7:39AM]: incoming request\thttp-method=GET http-path=/golang.org/x/text/@v/list http-status=200 '],
    ['{"time":"2024-01-02T03:04:05Z","level":"INFO","msg":"incoming request","http-path":"/golang.org/x/text/@v/list"}'],
    ['2024-03-04T10:15:30.123Z|trace|10.1.2.3|jdoe|GET|/api/go/go-remote/golang.org/x/text/@v/list|200|-1|12|3|Go-http-client/1.1'],
    ['10.1.2.3 - jdoe [04/Mar/2024:10:15:30 +0000] "GET /repository/go-proxy/golang.org/x/text/@v/list HTTP/1.1" 200 - 61 4 "Go-http-client/1.1" [qtp1-2]'],
    ['{"message":"Microsoft-Windows-Sysmon"}'],
    ['{"a":{"b":[1,2,3]}}'],
    ['[{"winlog":{"provider_name":"Microsoft-Windows-Sysmon"}}]'],
    ['{"winlog":'],
    // XML that merely mentions Sysmon.
    ['<note>Microsoft-Windows-Sysmon</note>'],
    [''],
  ])('does not claim %j', (line) => {
    expect(looksLikeSysmon(line)).toBe(false);
  });
});

