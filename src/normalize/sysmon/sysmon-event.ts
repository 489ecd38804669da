// One Sysmon event, whichever rendering carried it (event XML or Winlogbeat JSON), reduced to what the parser needs.
import type { Rejection } from '../../core/component.js';

export const sysmonProvider = 'Microsoft-Windows-Sysmon';

export interface SysmonEvent {
  eventId: number;
  /** Event data by Sysmon's own field names: RuleName, EventType, UtcTime, ProcessId, Image, TargetObject, Details, User. */
  data: ReadonlyMap<string, string>;
  computer?: string;
  /** When the event log (TimeCreated) or the shipper (@timestamp) dated the event; used only without UtcTime. */
  loggedAt?: { field: string; text: string };
}

export type SysmonEventResult = { ok: true; event: SysmonEvent } | { ok: false; rejection: Rejection };

export const malformedEvent = (reason: string): SysmonEventResult => ({ ok: false, rejection: { code: 'parse.malformed', reason } });
