import { describe, expect, it } from 'vitest';
import { checkModulePath } from './module-path.js';

describe('checkModulePath', () => {
  it.each([
    'golang.org/x/text',
    'github.com/Azure/azure-sdk-for-go',
    'github.com/hashicorp/vault/api/v2',
    'gopkg.in/yaml.v3',
    'gopkg.in/check.v1',
    'gopkg.in/src-d/go-git.v4',
    'gopkg.in/yaml.v0',
    'gopkg.in/mgo.v2-unstable',
    'example.com/a_b~c/x+y',
    'example.com/v1x',
    'example.com/xv1',
  ])('accepts %s', (path) => {
    expect(checkModulePath(path)).toBeUndefined();
  });

  it.each([
    ['', 'empty module path'],
    ['golang.org/x//text', 'double slash'],
    ['golang.org/x/', 'trailing slash'],
    ['/golang.org/x', 'leading slash'],
    ['golang.org/x..y', 'double dot'],
    ['golang.org/.x', 'leading dot in path element'],
    ['golang.org/x.', 'trailing dot in path element'],
    ['golang.org/x y', 'invalid char " "'],
    ['localhost/x', 'missing dot in first path element'],
    ['-x.com/y', 'leading dash in first path element'],
    ['Example.com/y', 'invalid char "E" in first path element'],
    ['example.com/aux.go', '"aux" disallowed as path element component on Windows'],
    ['example.com/x/v1', 'invalid major version suffix'],
    ['example.com/x/v0', 'invalid major version suffix'],
    ['example.com/x/v02', 'invalid major version suffix'],
    ['example.com/x/v2.1', 'invalid major version suffix'],
    ['gopkg.in/yaml', 'invalid major version suffix'],
    ['gopkg.in/yaml.v00', 'invalid major version suffix'],
    ['gopkg.in/yaml.v0-unstable', 'invalid major version suffix'],
  ])('refuses %s: %s', (path, reason) => {
    expect(checkModulePath(path)).toBe(reason);
  });
});
