// The Go settings (environment variables, https://go.dev/ref/mod#environment-variables) whose changes modtrail audits.
export const goSettingNames = [
  'GOPROXY',
  'GOSUMDB',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GOINSECURE',
  'GOFLAGS',
  'GOTOOLCHAIN',
] as const;
export type GoSettingName = (typeof goSettingNames)[number];

/** Exactly one of the names, as the go command spells it (upper case). */
export function isGoSettingName(name: string): name is GoSettingName {
  return (goSettingNames as readonly string[]).includes(name);
}

/**
 * The setting a name means where environment names are case-insensitive (Windows), or undefined.
 * Full Unicode upper-casing, so that look-alikes such as "GOPRıVATE" are counted rather than missed.
 */
export function canonicalGoSetting(name: string): GoSettingName | undefined {
  const upper = name.toUpperCase();
  return isGoSettingName(upper) ? upper : undefined;
}
