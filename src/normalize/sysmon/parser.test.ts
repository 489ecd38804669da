import { describe, expect, it } from 'vitest';
import { randomInt, randomItem, seededRandom, type Random } from '../../../test/support/seeded-random.js';
import { contextFor, expectValidResult, runParserTestdata } from '../testdata-runner.js';
import { sysmonParser } from './parser.js';

runParserTestdata(sysmonParser, new URL('./testdata/cases.json', import.meta.url));

const ns = 'http://schemas.microsoft.com/win/2004/08/events/event';
const event = (eventId: string, data: string): string =>
  `<Event xmlns="${ns}"><System><Provider Name="Microsoft-Windows-Sysmon"/><EventID>${eventId}</EventID>` +
  `<TimeCreated SystemTime="2024-03-04T10:15:30.1234567Z"/><Computer>DEV-WS-0142</Computer></System><EventData>${data}</EventData></Event>`;
const target = '<Data Name="TargetObject">HKCU\\Environment\\GOPROXY</Data>';
const parse = (raw: string) => sysmonParser.parse(raw, contextFor(new Date('2024-03-04T10:15:31Z')));

describe('sysmonParser', () => {
  it('says which event id it refuses', () => {
    expect(parse(event('14', target))).toEqual({
      ok: false,
      rejection: { code: 'parse.malformed', reason: 'event id 14 is not 13 (Sysmon RegistryEvent, value set)' },
    });
  });

  it('says why XML is refused, and never throws on hostile XML', () => {
    expect(parse(`<!DOCTYPE Event SYSTEM "file:///etc/passwd">${event('13', target)}`)).toEqual({
      ok: false,
      rejection: { code: 'parse.malformed', reason: 'not well-formed event XML: document type declarations (DOCTYPE) are refused' },
    });
    expect(parse(`${'<Event>'.repeat(50_000)}`)).toMatchObject({ ok: false, rejection: { code: 'parse.malformed' } });
    expect(parse(event('13', `<Data Name="${'x'.repeat(100_000)}">y</Data>`))).toMatchObject({ ok: false, rejection: { code: 'parse.malformed' } });
  });

  it('refuses an EventData that names a field twice', () => {
    expect(parse(event('13', `${target}${target}`))).toEqual({
      ok: false,
      rejection: { code: 'parse.malformed', reason: '<EventData> names TargetObject twice' },
    });
  });

  it('refuses event 13 whose EventType is not SetValue', () => {
    expect(parse(event('13', `<Data Name="EventType">DeleteValue</Data>${target}`))).toMatchObject({
      ok: false,
      rejection: { code: 'parse.malformed', reason: 'EventType "DeleteValue" is not SetValue' },
    });
  });

  it('refuses an <Event> in another namespace', () => {
    expect(parse(event('13', target).replace(ns, 'urn:other'))).toMatchObject({ ok: false, rejection: { code: 'parse.malformed' } });
  });

  it('never records a mechanism: Sysmon cannot tell how a value came to be written', () => {
    const result = parse(event('13', `<Data Name="Image">C:\\Windows\\system32\\svchost.exe</Data>${target}<Data Name="Details">off</Data>`));
    expect(result.ok && result.record.goenv).toEqual({ name: 'GOPROXY', value: 'off', scope: 'user' });
  });

  it('takes the user from a processed Winlogbeat event, but never the account Sysmon runs as', () => {
    const winlog = {
      event_id: 13,
      provider_name: 'Microsoft-Windows-Sysmon',
      event_data: { TargetObject: 'HKCU\\Environment\\GOPROXY', Details: 'off', UtcTime: '2024-03-04 10:15:30.123' },
      user: { domain: 'NT AUTHORITY', name: 'SYSTEM', identifier: 'S-1-5-18' },
    };
    const withoutUser = parse(JSON.stringify({ winlog }));
    const withUser = parse(JSON.stringify({ winlog, user: { domain: 'CORP', name: 'jdoe' } }));
    expect(withoutUser.ok && withoutUser.record.user).toBeUndefined();
    expect(withUser.ok && withUser.record.user).toEqual({ name: 'jdoe', domain: 'CORP' });
  });
});

describe('sysmonParser fuzz on Winlogbeat shapes', () => {
  const values: unknown[] = [
    13, '13', 14, -13, 1.5, 1e21, '013', '', null, true, [], {}, [13], 'SetValue', '2024-03-04 10:15:30.123', '2024-13-45 99:99:99.999',
    '0000-01-01 00:00:00.000', '2024-03-04T10:15:30Z', 'HKCU\\Environment\\GOPROXY', 'HKLM\\', '\\', 'CORP\\jdoe', 'CORP\\', '-',
    '(Empty)', 'DWORD (0x00000001)', 'Microsoft-Windows-Sysmon', '99999999999999999999', 7412,
  ];
  const targets = [
    'HKCU\\Environment\\GOPROXY', 'HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment\\gosumdb',
    'HKU\\S-1-5-18\\Environment\\GOFLAGS', 'HKLM\\SOFTWARE\\x', '\\', 'HKLM', 'HKU\\\\', 'x',
  ];
  const keys = ['event_id', 'provider_name', 'computer_name', 'event_data', 'EventType', 'UtcTime', 'ProcessId', 'Image', 'TargetObject', 'Details', 'User'];

  function randomShape(random: Random, depth: number): Record<string, unknown> {
    const shape: Record<string, unknown> = {};
    for (let i = randomInt(random, 0, 6); i > 0; i--) {
      shape[randomItem(random, keys)] = depth < 2 && random() < 0.3 ? randomShape(random, depth + 1) : randomItem(random, values);
    }
    return shape;
  }

  it('returns a valid record or a catalogued rejection for any of them', () => {
    const random = seededRandom(0x5359534d); // "SYSM"
    const context = contextFor(new Date('2024-03-04T10:15:31Z'));
    let records = 0;
    for (let i = 0; i < 3000; i++) {
      const target = random() < 0.7 ? randomItem(random, targets) : randomItem(random, values);
      const eventData = { TargetObject: target, ...randomShape(random, 1) };
      const winlog = { provider_name: 'Microsoft-Windows-Sysmon', event_id: 13, ...randomShape(random, 0), event_data: eventData };
      const ecs = random() < 0.5 ? {} : { process: randomShape(random, 1), user: randomShape(random, 1), registry: randomShape(random, 1) };
      const timestamp = random() < 0.5 ? '2024-03-04T10:15:30.130Z' : randomItem(random, values);
      const raw = JSON.stringify({ '@timestamp': timestamp, winlog, ...ecs });
      const result = sysmonParser.parse(raw, context);
      expectValidResult(result, raw, context);
      if (result.ok) records += 1;
    }
    // Enough of them must become records for the invariants to have been checked at all.
    expect(records).toBeGreaterThan(300);
  });
});
