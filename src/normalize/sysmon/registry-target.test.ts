import { describe, expect, it } from 'vitest';
import { goSettingAt, splitTarget } from './registry-target.js';

describe('splitTarget', () => {
  it.each([
    ['HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment\\GOPROXY', {
      hive: 'HKLM', key: 'System\\CurrentControlSet\\Control\\Session Manager\\Environment', value: 'GOPROXY',
    }],
    ['HKU\\S-1-5-21-1067164964-2079179834-2367582738-1000\\Software\\Key 1', {
      hive: 'HKU', key: 'S-1-5-21-1067164964-2079179834-2367582738-1000\\Software', value: 'Key 1',
    }],
    ['HKEY_CURRENT_USER\\Environment\\GOFLAGS', { hive: 'HKCU', key: 'Environment', value: 'GOFLAGS' }],
    ['HKLM\\Run', { hive: 'HKLM', value: 'Run' }],
    ['HKLM', { hive: 'HKLM' }],
    ['\\REGISTRY\\MACHINE\\SOFTWARE\\x', { key: '\\REGISTRY\\MACHINE\\SOFTWARE', value: 'x' }],
    ['HKCR\\.go\\', { hive: 'HKCR', key: '.go' }],
    ['\\', {}],
    ['HKLM\\\\x', { hive: 'HKLM', value: 'x' }],
  ])('splits %s', (path, expected) => {
    expect(splitTarget(path)).toEqual(expected);
  });
});

describe('goSettingAt', () => {
  it.each([
    ['HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment\\GOPROXY', { name: 'GOPROXY', scope: 'machine' }],
    ['HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment\\gosumdb', { name: 'GOSUMDB', scope: 'machine' }],
    ['HKU\\S-1-5-21-1067164964-2079179834-2367582738-1000\\Environment\\GOPRIVATE', { name: 'GOPRIVATE', scope: 'user' }],
    ['HKU\\.DEFAULT\\Environment\\GOFLAGS', { name: 'GOFLAGS', scope: 'user' }],
    ['HKCU\\Environment\\GoToolchain', { name: 'GOTOOLCHAIN', scope: 'user' }],
    ['hku\\s-1-5-18\\environment\\GOINSECURE', { name: 'GOINSECURE', scope: 'user' }],
  ])('finds the Go setting at %s', (path, expected) => {
    expect(goSettingAt(path)).toEqual(expected);
  });

  it.each([
    // Not a Go setting.
    ['HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment\\Path'],
    ['HKCU\\Environment\\GOPATH'],
    // Not an environment block Windows hands to new processes.
    ['HKCU\\Volatile Environment\\GOPROXY'],
    ['HKU\\S-1-5-21-1067164964-2079179834-2367582738-1000_Classes\\Environment\\GOPROXY'],
    ['HKLM\\SOFTWARE\\Policies\\Go\\GOPROXY'],
    ['HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment\\Sub\\GOPROXY'],
    ['HKCU\\Environment\\GOPROXY\\'],
    ['HKCU\\Environment'],
    [''],
  ])('finds no Go setting at %s', (path) => {
    expect(goSettingAt(path)).toBeUndefined();
  });
});
