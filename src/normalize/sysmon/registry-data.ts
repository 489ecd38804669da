// Sysmon's Details for a value set: the string written, or a rendering for other types (DWORD (0x…), QWORD (0x…-0x…),
// Binary Data) and "(Empty)" for an empty string. As ECS registry.data: numbers as decimal strings, with their type.
import type { AuditRecord } from '../../core/record.js';

type RegistryData = NonNullable<NonNullable<AuditRecord['registry']>['data']>;

const dword = /^DWORD \(0x([0-9A-Fa-f]{8})\)$/;
const qword = /^QWORD \(0x([0-9A-Fa-f]{8})-0x([0-9A-Fa-f]{8})\)$/;

export function registryData(details: string): RegistryData {
  const d = dword.exec(details);
  if (d) return { strings: [String(Number.parseInt(d[1] ?? '', 16))], type: 'REG_DWORD' };
  const q = qword.exec(details);
  if (q) return { strings: [((BigInt(`0x${q[1] ?? ''}`) << 32n) | BigInt(`0x${q[2] ?? ''}`)).toString()], type: 'REG_QWORD' };
  if (details === 'Binary Data') return { type: 'REG_BINARY' };
  if (details === '(Empty)') return { strings: [''] };
  return { strings: [details] };
}
