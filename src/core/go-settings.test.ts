import { describe, expect, it } from 'vitest';
import { canonicalGoSetting, goSettingNames, isGoSettingName } from './go-settings.js';

describe('isGoSettingName', () => {
  it.each(goSettingNames.map((name) => [name]))('knows %s', (name) => {
    expect(isGoSettingName(name)).toBe(true);
  });

  it.each([['goproxy'], ['GoProxy'], ['GOPROXY '], [' GOPROXY'], ['GOPATH'], ['GO111MODULE'], [''], ['GOPROXY\u0000']])(
    'refuses %j',
    (name) => {
      expect(isGoSettingName(name)).toBe(false);
    },
  );
});

describe('canonicalGoSetting', () => {
  it.each([
    ['goproxy', 'GOPROXY'],
    ['GoSumDb', 'GOSUMDB'],
    ['GONOPROXY', 'GONOPROXY'],
    ['gotoolchain', 'GOTOOLCHAIN'],
    // Characters that upper-case to ASCII letters: counted as the setting rather than missed.
    ['goprıvate', 'GOPRIVATE'],
    ['GOſUMDB', 'GOSUMDB'],
  ])('reads %j as %s', (name, expected) => {
    expect(canonicalGoSetting(name)).toBe(expected);
  });

  it.each([['GOPATH'], ['go proxy'], ['GOPROXY_'], ['Path'], ['']])('has no setting for %j', (name) => {
    expect(canonicalGoSetting(name)).toBeUndefined();
  });
});
