import { describe, expect, it } from 'vitest';
import { accessAction, type AccessAction } from './access-action.js';

const zip = { action: 'module.zip', module: 'golang.org/x/text', version: 'v0.14.0' } as const;

const cases: ReadonlyArray<readonly [string, string | undefined, AccessAction]> = [
  ['DOWNLOAD', 'golang.org/x/text/@v/v0.14.0.zip', { action: 'module.zip', go: zip }],
  ['DOWNLOAD', 'golang.org/x/text/@v/list', { action: 'module.list', go: { action: 'module.list', module: 'golang.org/x/text' } }],
  ['DOWNLOAD', 'sumdb/sum.golang.org/latest', { action: 'sumdb.latest', go: { action: 'sumdb.latest', sumdb: 'sum.golang.org' } }],
  ['DOWNLOAD', 'org/iostreams/iostreams/0.2/iostreams-0.2.jar', { action: 'artifact.download' }],
  ['DEPLOY', 'golang.org/x/text/@v/v0.14.0.zip', { action: 'module.deploy', go: zip }],
  ['DEPLOY', 'dir/hello.txt', { action: 'artifact.deploy' }],
  ['DELETE', 'golang.org/x/text/@v/v0.14.0.zip', { action: 'module.delete', go: zip }],
  ['DELETE', '', { action: 'artifact.delete' }],
  ['DELETE', undefined, { action: 'artifact.delete' }],
  ['LOGIN', undefined, { action: 'user.login' }],
  ['ANNOTATE', 'golang.org/x/text/@v/v0.14.0.zip', { action: 'artifactory.annotate', go: zip }],
  ['PROPERTY_ADDED', 'dir/hello.txt', { action: 'artifactory.property_added' }],
  ['CONFIGURATION_CHANGE', undefined, { action: 'artifactory.configuration_change' }],
  // Paths that parseProxyPath would read as a service endpoint or a repository prefix are files in the repository here.
  ['DOWNLOAD', 'catalog', { action: 'artifact.download' }],
  ['DOWNLOAD', 'api/go/other/golang.org/x/text/@v/list', { action: 'artifact.download' }],
];

describe('accessAction', () => {
  it.each(cases)('%s %s', (verb, path, expected) => {
    expect(accessAction(verb, path)).toEqual(expected);
  });
});
