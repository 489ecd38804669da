import { describe, expect, it } from 'vitest';
import { looksLikeNexusRequest } from './detect.js';

describe('looksLikeNexusRequest', () => {
  it.each([
    ['10.1.2.3 - jdoe [04/Mar/2024:10:15:30 +0000] "GET /repository/go-proxy/github.com/!burnt!sushi/toml/@v/v1.3.2.zip HTTP/1.1" 200 - 123456 87 "Go-http-client/1.1" [qtp1234-56]'],
    ['10.1.2.3 - - [04/Mar/2024:10:15:30 +0100] "GET /golang.org/x/text/@v/list HTTP/1.1" 200 - 61 3 "Go-http-client/1.1" [qtp1085283394-921]'],
    ['0:0:0:0:0:0:0:1 - admin [04/Mar/2024:10:15:30 +0000] "GET /service/rest/v1/status HTTP/1.1" 200 - 0 1 "curl/8.5.0" [qtp1-2]'],
    // The older pattern, without Content-Length and thread, only with a path that only Nexus serves.
    ['10.1.2.3 - - [04/Mar/2024:10:15:30 +0000] "GET /repository/go-proxy/golang.org/x/mod/@latest HTTP/1.1" 200 143 12 "Go-http-client/1.1"'],
    ['10.1.2.3 - - [04/Mar/2024:10:15:30 +0000] "GET /repository/go-proxy/golang.org/x/mod/@latest HTTP/1.1" 200 - 143 12 "Go-http-client/1.1"'],
  ])('recognises %s', (line) => {
    expect(looksLikeNexusRequest(line)).toBe(true);
  });

  it.each([
    // Athens.
    ['INFO[7:39AM]: incoming request\thttp-method=GET http-path=/golang.org/x/text/@v/list http-status=200 '],
    ['{"time":"2024-01-02T03:04:05Z","level":"INFO","msg":"incoming request","http-path":"/golang.org/x/text/@v/list"}'],
    ['time=2024-01-02T03:04:05Z level=INFO msg="incoming request" http-method=GET http-path=/golang.org/x/text/@v/list'],
    // Artifactory request log.
    ['2024-03-04T10:15:30.123Z|trace|10.1.2.3|jdoe|GET|/api/go/go-remote/golang.org/x/text/@v/list|200|-1|12|3|Go-http-client/1.1'],
    // Arbitrary JSON.
    ['{"a":1}'],
    ['[]'],
    // Apache common and combined logs.
    ['127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326'],
    ['127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://example.com/" "Mozilla/4.08"'],
    // The older two-count shape outside Nexus paths could be any server's.
    ['10.1.2.3 - - [04/Mar/2024:10:15:30 +0000] "GET /index.html HTTP/1.1" 200 143 12 "Mozilla/5.0"'],
    // Nexus's outbound-request.log is not the inbound request log.
    ['[27/Nov/2023:15:15:05 -0400] - "GET https://repo1.maven.org/maven2/abbot/abbot/0.13.0/abbot-0.13.0.pom HTTP/1.1" 200 166 285 "Nexus/3.63.0-01" [qtp1085283394-921]'],
    [''],
  ])('does not claim %j', (line) => {
    expect(looksLikeNexusRequest(line)).toBe(false);
  });
});
