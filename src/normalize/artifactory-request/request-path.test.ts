import { describe, expect, it } from 'vitest';
import { classifyRequest, type ArtifactoryRequest } from './request-path.js';

const cases: ReadonlyArray<readonly [string, string, ArtifactoryRequest]> = [
  ['GET', '/api/go/go-remote/golang.org/x/text/@v/list', { action: 'module.list', module: 'golang.org/x/text', repository: 'go-remote', go: true }],
  ['PUT', '/api/go/go-local/example.com/lib/@v/v1.0.0.mod', {
    action: 'module.deploy', module: 'example.com/lib', version: 'v1.0.0', repository: 'go-local', go: true,
  }],
  ['DELETE', '/artifactory/api/go/go-local/example.com/lib/@v/v1.0.0.zip', {
    action: 'module.delete', module: 'example.com/lib', version: 'v1.0.0', repository: 'go-local', go: true,
  }],
  // A write to the Go repository that names no module is still a write to a Go repository.
  ['PUT', '/api/go/go-local/', { action: 'module.deploy', repository: 'go-local', go: true }],
  ['POST', '/api/go/go-local/example.com/lib/@v/v1.0.0.zip', {
    action: 'module.zip', module: 'example.com/lib', version: 'v1.0.0', repository: 'go-local', go: true,
  }],
  // A Go module's files under the repository key.
  ['GET', '/go-remote-cache/golang.org/x/text/@v/v0.14.0.info', {
    action: 'module.info', module: 'golang.org/x/text', version: 'v0.14.0', repository: 'go-remote-cache', go: true,
  }],
  ['DELETE', '/artifactory/go-local/example.com/lib/@v/list', { action: 'module.delete', module: 'example.com/lib', repository: 'go-local', go: true }],
  ['GET', '/go-local/example.com/lib/@v/V1.0.0.zip', {
    action: 'module.zip', repository: 'go-local', pathError: 'invalid escaped version "V1.0.0": upper-case letter "V" must be written as "!v"', go: true,
  }],
  // Artifactory's own endpoints and other files are never Go writes.
  ['PUT', '/example-repo-local/dir/hello.txt', { action: 'proxy.other', go: false }],
  ['DELETE', '/api/repositories/go-local', { action: 'proxy.admin', go: false }],
  ['DELETE', '/api/system/ping', { action: 'proxy.health', go: false }],
  ['GET', '/ui/repos/tree/General/go-remote', { action: 'proxy.ui', go: false }],
  // "api" is never a repository key.
  ['GET', '/api/go//golang.org/x/text/@v/list', { action: 'proxy.other', pathError: 'repository name missing', go: false }],
];

describe('classifyRequest', () => {
  it.each(cases)('%s %s', (method, url, expected) => {
    expect(classifyRequest(method, url)).toEqual(expected);
  });
});
