import { isIP } from 'node:net';
import type { AuditRecord } from '../core/record.js';

/**
 * The client a proxy logged: `source.ip` when it is an address an ip field can hold, else `source.address`
 * (a host name, or an IPv6 address with a zone index such as fe80::1%eth0); undefined when absent (empty or `-`).
 */
export function sourceOf(address: string | undefined): AuditRecord['source'] | undefined {
  if (address === undefined || address === '' || address === '-') return undefined;
  return isIP(address) !== 0 && !address.includes('%') ? { ip: address } : { address };
}
