import { describe, expect, it } from 'vitest';
import { readParserCases } from '../testdata-runner.js';
import { looksLikeArtifactoryAccess } from './detect.js';

const genuine = [
  '2026-09-10T16:01:57.643Z [90dbd9a6e2fc75e01a42a6f100dd4056] [ACCEPTED DOWNLOAD] example-repo-local:audit-probe-20260911000113/hello.txt  for client : admin / 192.168.65.1',
  '2020-05-15 15:52:11,456 [4b1b8a0b04e31b80] [ACCEPTED DOWNLOAD] maven-remote-cache:org/iostreams/iostreams/0.2/iostreams-0.2.jar for anonymous/86.12.14.192.',
  '2019-06-17 22:01:39,942 [ACCEPTED LOGIN]   for client : anonymous / 10.250.36.161.',
  '2019-05-06 10:15:30,123 [DENIED DEPLOY] go-local:example.com/lib/@v/v1.0.0.zip for jdoe/10.1.2.3.',
];

const others = [
  // Athens
  'INFO[7:39AM]: incoming request\thttp-method=GET http-path=/github.com/!azure/go-autorest/@v/list http-status=200 request-id=3f0c2a8e-5b1d-4c7a-9e21-0d4b6f8a1c55 ',
  '{"time":"2024-01-02T03:04:05Z","level":"INFO","msg":"incoming request","http-method":"GET","http-path":"/golang.org/x/mod/@v/list","http-status":200}',
  'time="2024-01-02T03:04:05Z" level=info msg="incoming request" http-method=GET http-path=/golang.org/x/mod/@v/list http-status=200 request-id=3f0c2a8e',
  // Nexus request.log
  '10.1.2.3 - jdoe [04/Mar/2024:10:15:30 +0000] "GET /repository/go-proxy/golang.org/x/text/@v/list HTTP/1.1" 200 - 87 15 "Go-http-client/1.1" [qtp1-42]',
  // JSON carrying an access line
  '{"message":"2024-03-04T10:15:30.123Z [4b1a9c2e3f5d6a7b] [ACCEPTED DOWNLOAD] go-remote:x for jdoe/10.1.2.3."}',
  '["2024-03-04T10:15:30.123Z [ACCEPTED LOGIN] for jdoe/10.1.2.3."]',
  // Artifactory's other logs
  '2026-09-10T16:01:29.461Z|154a78bd603c114c3364566b8f275a80|192.168.65.1|anonymous|GET|/api/system/ping|200|-1|2|54|curl/8.7.1',
  '2024-03-04T10:15:30.123Z [jfrt ] [INFO ] [4b1a9c2e3f5d6a7b] [o.a.s.a.AccessLogger:42] [http-nio-8081-exec-3] - downloaded',
  // Look-alikes
  '2024-03-04T10:15:30.123Z [4b1a9c2e3f5d6a7b] [ACCEPTED DOWNLOAD] go-remote:golang.org/x/text/@v/list',
  '2024-13-04T10:15:30.123Z [4b1a9c2e3f5d6a7b] [ACCEPTED DOWNLOAD] go-remote:golang.org/x/text/@v/list for jdoe/10.1.2.3.',
  '[ACCEPTED DOWNLOAD] go-remote:golang.org/x/text/@v/list for jdoe/10.1.2.3.',
  '',
  'hello world',
];

describe('looksLikeArtifactoryAccess', () => {
  it.each(genuine)('recognises %s', (line) => {
    expect(looksLikeArtifactoryAccess(line)).toBe(true);
  });

  it.each(others)('does not claim %s', (line) => {
    expect(looksLikeArtifactoryAccess(line)).toBe(false);
  });

  it('recognises exactly the testdata lines the parser reads', () => {
    for (const c of readParserCases(new URL('./testdata/cases.json', import.meta.url))) {
      expect(looksLikeArtifactoryAccess(c.raw), c.name).toBe(typeof c.expected.rejection !== 'string');
    }
  });
});
