import { describe, expect, it } from 'vitest';
import { parseProxyPath, proxyActions, type ProxyRequest } from './goproxy-path.js';

const cases: ReadonlyArray<readonly [string, ProxyRequest]> = [
  // The five GOPROXY requests.
  ['/golang.org/x/text/@v/list', { action: 'module.list', module: 'golang.org/x/text' }],
  ['/golang.org/x/text/@latest', { action: 'module.latest', module: 'golang.org/x/text' }],
  ['/golang.org/x/text/@v/v0.14.0.info', { action: 'module.info', module: 'golang.org/x/text', version: 'v0.14.0' }],
  ['/golang.org/x/text/@v/v0.14.0.mod', { action: 'module.mod', module: 'golang.org/x/text', version: 'v0.14.0' }],
  ['/golang.org/x/text/@v/v0.14.0.zip', { action: 'module.zip', module: 'golang.org/x/text', version: 'v0.14.0' }],
  // Case encoding.
  ['/github.com/!burnt!sushi/toml/@v/list', { action: 'module.list', module: 'github.com/BurntSushi/toml' }],
  ['/github.com/!azure/azure-sdk-for-go/@v/v68.0.0+incompatible.zip', {
    action: 'module.zip', module: 'github.com/Azure/azure-sdk-for-go', version: 'v68.0.0+incompatible',
  }],
  ['/github.com/%21azure/go-autorest/@v/list', { action: 'module.list', module: 'github.com/Azure/go-autorest' }],
  ['/github.com/!sirupsen/logrus/@v/v1.9.3-!r!c1.info', {
    action: 'module.info', module: 'github.com/Sirupsen/logrus', version: 'v1.9.3-RC1',
  }],
  // Versions of every kind.
  ['/gopkg.in/yaml.v3/@v/v3.0.1.mod', { action: 'module.mod', module: 'gopkg.in/yaml.v3', version: 'v3.0.1' }],
  ['/gopkg.in/check.v1/@v/v0.0.0-20161208181325-20d25e280405.mod', {
    action: 'module.mod', module: 'gopkg.in/check.v1', version: 'v0.0.0-20161208181325-20d25e280405',
  }],
  ['/github.com/hashicorp/vault/api/v2/@latest', { action: 'module.latest', module: 'github.com/hashicorp/vault/api/v2' }],
  ['/github.com/jackc/pgx/v5/@v/v5.5.1.zip', { action: 'module.zip', module: 'github.com/jackc/pgx/v5', version: 'v5.5.1' }],
  ['/github.com/docker/docker/@v/v24.0.7+incompatible.info', {
    action: 'module.info', module: 'github.com/docker/docker', version: 'v24.0.7+incompatible',
  }],
  ['/golang.org/x/exp/@v/v0.0.0-20240103183307-be819d1f06fc.zip', {
    action: 'module.zip', module: 'golang.org/x/exp', version: 'v0.0.0-20240103183307-be819d1f06fc',
  }],
  ['/example.com/mod/@v/v1.2.4-0.20240101120000-abcdef123456.info', {
    action: 'module.info', module: 'example.com/mod', version: 'v1.2.4-0.20240101120000-abcdef123456',
  }],
  // The go command asks .info for branch names and commit hashes too.
  ['/github.com/spf13/cobra/@v/main.info', { action: 'module.info', module: 'github.com/spf13/cobra', version: 'main' }],
  // Query strings and fragments are not part of the path.
  ['/golang.org/x/mod/@v/list?go-get=1', { action: 'module.list', module: 'golang.org/x/mod' }],
  ['golang.org/x/mod/@latest', { action: 'module.latest', module: 'golang.org/x/mod' }],
  // Checksum database, proxied.
  ['/sumdb/sum.golang.org/supported', { action: 'sumdb.supported', sumdb: 'sum.golang.org' }],
  ['/sumdb/sum.golang.org/latest', { action: 'sumdb.latest', sumdb: 'sum.golang.org' }],
  ['/sumdb/sum.golang.org/lookup/github.com/!burnt!sushi/toml@v1.3.2', {
    action: 'sumdb.lookup', sumdb: 'sum.golang.org', module: 'github.com/BurntSushi/toml', version: 'v1.3.2',
  }],
  ['/sumdb/sum.golang.org/tile/8/0/x089/436.p/157', { action: 'sumdb.tile', sumdb: 'sum.golang.org' }],
  ['/sumdb/sum.golang.org/tile/8/data/x089/436', { action: 'sumdb.tile', sumdb: 'sum.golang.org' }],
  ['/sumdb/sum.example.com:8443/latest', { action: 'sumdb.latest', sumdb: 'sum.example.com:8443' }],
  // Repository prefixes.
  ['/api/go/go-remote/golang.org/x/text/@v/list', { action: 'module.list', module: 'golang.org/x/text', repository: 'go-remote' }],
  ['/artifactory/api/go/go-virtual/github.com/!azure/go-autorest/@v/v14.2.0+incompatible.mod', {
    action: 'module.mod', module: 'github.com/Azure/go-autorest', version: 'v14.2.0+incompatible', repository: 'go-virtual',
  }],
  ['/repository/go-proxy/gopkg.in/yaml.v3/@latest', { action: 'module.latest', module: 'gopkg.in/yaml.v3', repository: 'go-proxy' }],
  ['/repository/go-group/sumdb/sum.golang.org/supported', {
    action: 'sumdb.supported', sumdb: 'sum.golang.org', repository: 'go-group',
  }],
  ['/artifactory/api/go/go-virtual/github.com/!azure/x/@v/list?foo=bar', {
    action: 'module.list', module: 'github.com/Azure/x', repository: 'go-virtual',
  }],
  ['/repository/go-proxy/', { action: 'proxy.other', repository: 'go-proxy' }],
  // The proxies' own endpoints.
  ['/healthz', { action: 'proxy.health' }],
  ['/readyz', { action: 'proxy.health' }],
  ['/api/system/ping', { action: 'proxy.health' }],
  ['/artifactory/api/system/ping', { action: 'proxy.health' }],
  ['/artifactory/api/v1/system/readiness', { action: 'proxy.health' }],
  ['/router/api/v1/system/health', { action: 'proxy.health' }],
  ['/service/rest/v1/status', { action: 'proxy.health' }],
  ['/service/rest/v1/status/writable', { action: 'proxy.health' }],
  ['/service/metrics/ping', { action: 'proxy.health' }],
  ['/catalog', { action: 'proxy.catalog' }],
  ['/catalog?token=abc&pagesize=100', { action: 'proxy.catalog' }],
  ['/', { action: 'proxy.ui' }],
  ['', { action: 'proxy.ui' }],
  ['/favicon.ico', { action: 'proxy.ui' }],
  ['/ui/repos/tree/General/go-remote', { action: 'proxy.ui' }],
  ['/artifactory/webapp/', { action: 'proxy.ui' }],
  ['/static/rapture/nexus-rapture-prod.js', { action: 'proxy.ui' }],
  ['/api/repositories', { action: 'proxy.admin' }],
  ['/artifactory/api/security/users', { action: 'proxy.admin' }],
  ['/service/rest/v1/repositories', { action: 'proxy.admin' }],
  ['/service/extdirect', { action: 'proxy.admin' }],
  ['/metrics', { action: 'proxy.admin' }],
  ['/version', { action: 'proxy.admin' }],
  ['/debug/pprof/heap', { action: 'proxy.admin' }],
  ['/wp-login.php', { action: 'proxy.other' }],
  ['/github.com/foo/bar', { action: 'proxy.other' }],
  // Invalid paths: the action stays, the module goes, and the reason is given.
  ['/github.com/Azure/x/@v/list', {
    action: 'module.list',
    pathError: 'invalid escaped module path "github.com/Azure/x": upper-case letter "A" must be written as "!a"',
  }],
  ['/github.com/!1/@v/list', {
    action: 'module.list',
    pathError: 'invalid escaped module path "github.com/!1": "!" followed by "1", not a lower-case letter',
  }],
  ['/github.com/foo!/@v/list', { action: 'module.list', pathError: 'invalid escaped module path "github.com/foo!": trailing "!"' }],
  ['/github.com/foo/bar/@v/V1.0.0.info', {
    action: 'module.info',
    pathError: 'invalid escaped version "V1.0.0": upper-case letter "V" must be written as "!v"',
  }],
  ['/github.com/foo/bar/@v/v1.0.0!.zip', { action: 'module.zip', pathError: 'invalid escaped version "v1.0.0!": trailing "!"' }],
  ['/foo/@v/list', { action: 'module.list', pathError: 'invalid escaped module path "foo": missing dot in first path element' }],
  ['/@v/list', { action: 'module.list', pathError: 'invalid escaped module path "": empty module path' }],
  ['/github.com/foo/bar/v1/@latest', {
    action: 'module.latest', pathError: 'invalid escaped module path "github.com/foo/bar/v1": invalid major version suffix',
  }],
  ['/gopkg.in/yaml/@latest', { action: 'module.latest', pathError: 'invalid escaped module path "gopkg.in/yaml": invalid major version suffix' }],
  ['/github.com/foo/../bar/@v/list', { action: 'module.list', pathError: 'invalid escaped module path "github.com/foo/../bar": double dot' }],
  ['/github.com/gö/x/@v/list', { action: 'module.list', pathError: 'invalid escaped module path "github.com/gö/x": non-ASCII character "ö"' }],
  ['/github.com/%E2%82%AC/x/@latest', { action: 'module.latest', pathError: 'invalid escaped module path "github.com/€/x": non-ASCII character "€"' }],
  ['/github.com/foo/%zz/@v/list', { action: 'module.list', pathError: 'undecodable percent-encoding in "/github.com/foo/%zz/@v/list"' }],
  ['/foo/@v/bad', { action: 'proxy.other', pathError: 'unknown GOPROXY request "@v/bad"' }],
  ['/golang.org/x/text/@v/v0.14.0.tar.gz', { action: 'proxy.other', pathError: 'unknown GOPROXY request "@v/v0.14.0.tar.gz"' }],
  ['/golang.org/x/text/@v/', { action: 'proxy.other', pathError: 'unknown GOPROXY request "@v/"' }],
  ['/golang.org/x/text/@upload', { action: 'proxy.other', pathError: 'unknown GOPROXY request' }],
  ['/sumdb/sum.golang.org/lookup/golang.org/x/text', {
    action: 'sumdb.lookup', sumdb: 'sum.golang.org', pathError: 'sumdb lookup without "@version"',
  }],
  ['/sumdb/sum.golang.org/lookup/github.com/Azure/x@v1.0.0', {
    action: 'sumdb.lookup',
    sumdb: 'sum.golang.org',
    pathError: 'invalid escaped module path "github.com/Azure/x": upper-case letter "A" must be written as "!a"',
  }],
  ['/sumdb/sum.golang.org/admin', { action: 'proxy.other', sumdb: 'sum.golang.org', pathError: 'unknown sumdb request' }],
  ['/sumdb//latest', { action: 'sumdb.latest', pathError: 'invalid checksum database name ""' }],
  ['/api/go//golang.org/x/text/@v/list', { action: 'proxy.other', pathError: 'repository name missing' }],
];

describe('parseProxyPath', () => {
  it.each(cases)('%s', (path, expected) => {
    expect(parseProxyPath(path)).toEqual(expected);
  });

  it('uses only the listed action names', () => {
    for (const [path] of cases) expect(proxyActions).toContain(parseProxyPath(path).action);
  });

  it('never names a module alongside a path error', () => {
    for (const [path] of cases) {
      const request = parseProxyPath(path);
      if (request.pathError !== undefined) {
        expect(request.module).toBeUndefined();
        expect(request.version).toBeUndefined();
      }
    }
  });
});
