import { describe, expect, it } from 'vitest';
import { readParserCases } from '../testdata-runner.js';
import { looksLikeArtifactoryRequest } from './detect.js';

const genuine = [
  '2026-09-10T16:01:29.461Z|154a78bd603c114c3364566b8f275a80|192.168.65.1|anonymous|GET|/api/system/ping|200|-1|2|54|curl/8.7.1',
  '2018-11-18T15:39:04.902Z|d5d75b3c41242768|127.0.0.1|anonymous|GET|api/v1/cert/root|200|0|6|0|JFrog Access Java Client/4.1.12',
  '2024-03-04T10:15:30.123Z|4b1a9c2e3f5d6a7b|10.1.2.3|jdoe|GET|/api/go/go-remote/github.com/!azure/azure-sdk-for-go/@v/v68.0.0+incompatible.zip|200|-1|1048576|412|Go-http-client/1.1',
];

const others = [
  // Athens
  'INFO[7:39AM]: incoming request\thttp-method=GET http-path=/github.com/!azure/go-autorest/@v/list http-status=200 request-id=3f0c2a8e-5b1d-4c7a-9e21-0d4b6f8a1c55 ',
  '{"time":"2024-01-02T03:04:05Z","level":"INFO","msg":"incoming request","http-method":"GET","http-path":"/golang.org/x/mod/@v/list","http-status":200}',
  'time="2024-01-02T03:04:05Z" level=info msg="incoming request" http-method=GET http-path=/golang.org/x/mod/@v/list http-status=200 request-id=3f0c2a8e',
  // Nexus request.log
  '10.1.2.3 - jdoe [04/Mar/2024:10:15:30 +0000] "GET /repository/go-proxy/golang.org/x/text/@v/list HTTP/1.1" 200 - 87 15 "Go-http-client/1.1" [qtp1-42]',
  // JSON, even with pipes and a time in it
  '{"a":"2024-03-04T10:15:30.123Z|x|10.1.2.3|u|GET|/p|200|-1|1|1|ua"}',
  '["2024-03-04T10:15:30.123Z","x","10.1.2.3","u","GET","/p","200","-1","1","1","ua"]',
  // Artifactory's other logs
  '2024-03-04T10:15:30.123Z [4b1a9c2e3f5d6a7b] [ACCEPTED DOWNLOAD] go-remote-cache:github.com/sirupsen/logrus/@v/v1.9.3.zip for client : jdoe / 10.1.2.3.',
  '20200312164423|93|REQUEST|172.17.0.1|anonymous|GET|/webapp/|HTTP/1.1|200|0',
  '2021-05-12T13:58:46.686Z|40ea218a769325db|generic-remote|andreyt|HEAD|https://acme.jfrog.com/artifactory/generic-packages/jdbc-drivers/mssql-jdbc-7.4.1.jre11.jar|200|1219373|0|80',
  '2026-09-10T16:04:10.516Z|0a4bbab079aeef7e04ce3661f216f447|UNKNOWN|UNKNOWN|jfrt@01m1hjrrqqyxh90anb2daw1avp|default:audit-probe-repo-20260911|D|PRS|{"removed":{"projectKey":"default"}}',
  '2024-03-04T10:15:30.123Z [jfrt ] [INFO ] [4b1a9c2e3f5d6a7b] [o.a.s.a.AccessLogger:42] [http-nio-8081-exec-3] - downloaded',
  // Nothing at all
  '',
  '   ',
  '|||||||||||',
  'hello world',
];

describe('looksLikeArtifactoryRequest', () => {
  it.each(genuine)('recognises %s', (line) => {
    expect(looksLikeArtifactoryRequest(line)).toBe(true);
  });

  it.each(others)('does not claim %s', (line) => {
    expect(looksLikeArtifactoryRequest(line)).toBe(false);
  });

  it('recognises exactly the testdata lines the parser reads', () => {
    for (const c of readParserCases(new URL('./testdata/cases.json', import.meta.url))) {
      expect(looksLikeArtifactoryRequest(c.raw), c.name).toBe(typeof c.expected.rejection !== 'string');
    }
  });
});
