// What a Sysmon TargetObject (hive\key\value) names, and whether it is a Go setting in a Windows environment block.
import { canonicalGoSetting, type GoSettingName } from '../../core/go-settings.js';

export interface RegistryTarget {
  /** The abbreviated hive (HKLM, HKU, …), when the path starts with one. */
  hive?: string;
  /** The key that holds the value, relative to the hive. */
  key?: string;
  /** The value's name: the last path element (a value name with a backslash cannot be told apart). */
  value?: string;
}

export interface GoSettingTarget {
  name: GoSettingName;
  scope: 'machine' | 'user';
}

const hives: Readonly<Record<string, string>> = {
  HKLM: 'HKLM',
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKU: 'HKU',
  HKEY_USERS: 'HKU',
  HKCU: 'HKCU',
  HKEY_CURRENT_USER: 'HKCU',
  HKCR: 'HKCR',
  HKEY_CLASSES_ROOT: 'HKCR',
  HKCC: 'HKCC',
  HKEY_CURRENT_CONFIG: 'HKCC',
};

// Registry paths are case-insensitive. The machine's environment, and a user's (by SID, the default profile, or HKCU).
const machineEnvironment = /^HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment\\([^\\]+)$/i;
const userEnvironment = /^(?:HKU\\(?:S-1-[0-9]+(?:-[0-9]+)+|\.DEFAULT)|HKCU)\\Environment\\([^\\]+)$/i;

export function splitTarget(path: string): RegistryTarget {
  const parts = path.split('\\');
  const first = (parts[0] ?? '').toUpperCase();
  const hive = Object.hasOwn(hives, first) ? hives[first] : undefined;
  if (hive !== undefined) parts.shift();
  const value = parts.pop();
  const key = parts.join('\\');
  return {
    ...(hive === undefined ? {} : { hive }),
    ...(key === '' ? {} : { key }),
    ...(value === undefined || value === '' ? {} : { value }),
  };
}

/** The Go setting a registry value is, when it is one of the environment variables Windows gives new processes. */
export function goSettingAt(path: string): GoSettingTarget | undefined {
  const machine = machineEnvironment.exec(path);
  const user = machine ? undefined : userEnvironment.exec(path);
  const name = canonicalGoSetting((machine ?? user)?.[1] ?? '');
  if (name === undefined) return undefined;
  return { name, scope: machine ? 'machine' : 'user' };
}
