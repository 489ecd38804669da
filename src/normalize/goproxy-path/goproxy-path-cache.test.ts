import { describe, expect, it } from 'vitest';
import { parseProxyPath, type ProxyRequest } from './goproxy-path.js';

describe('parseProxyPath cache', () => {
  it('answers a repeated path as the first time, also for paths with errors and queries', () => {
    for (const path of ['/github.com/!azure/x/@v/v1.0.0.zip', '/github.com/foo/%zz/@v/list', '/api/go/r/golang.org/x/text/@v/list?x=1', '/healthz']) {
      const first = parseProxyPath(path);
      expect(parseProxyPath(path)).toEqual(first);
      expect(parseProxyPath(path)).not.toBe(first);
    }
  });

  it('hands out copies: a caller that changes its result does not change the next one', () => {
    const path = '/golang.org/x/text/@v/v0.14.0.info';
    const expected = { action: 'module.info', module: 'golang.org/x/text', version: 'v0.14.0' };
    const first: ProxyRequest = parseProxyPath(path);
    first.module = 'evil.example.com/x';
    const second: ProxyRequest = parseProxyPath(path);
    delete second.version;
    second.pathError = 'changed';
    expect(parseProxyPath(path)).toEqual(expected);
  });

  it('stays correct after it has filled up and been emptied', () => {
    for (let i = 0; i < 5000; i++) parseProxyPath(`/example.com/m${i}/@v/list`);
    expect(parseProxyPath('/example.com/m0/@v/list')).toEqual({ action: 'module.list', module: 'example.com/m0' });
    expect(parseProxyPath('/example.com/m4999/@v/list')).toEqual({ action: 'module.list', module: 'example.com/m4999' });
  });
});
