// Realistic raw events per format for the benchmarks: module paths, versions, users and hosts as a Go shop has them.
import type { SourceFormat } from '../src/core/component.js';

const modules = [
  'golang.org/x/text', 'golang.org/x/crypto', 'golang.org/x/net', 'golang.org/x/sync', 'golang.org/x/mod',
  'github.com/!burnt!sushi/toml', 'github.com/stretchr/testify', 'github.com/google/uuid', 'github.com/spf13/cobra',
  'github.com/sirupsen/logrus', 'github.com/!azure/azure-sdk-for-go', 'gopkg.in/yaml.v3', 'github.com/hashicorp/vault/api/v2',
  'go.uber.org/zap', 'github.com/prometheus/client_golang', 'google.golang.org/grpc', 'git.corp.example.com/platform/auth',
  'github.com/acme-corp/billing', 'github.com/evil-corp/backdoor', 'k8s.io/client-go',
];
const versions = ['v0.14.0', 'v1.9.3', 'v1.3.2', 'v0.0.0-20240101120000-abcdef123456', 'v24.0.7+incompatible', 'v3.0.1', 'v2.1.0'];
const suffixes = ['info', 'mod', 'zip', 'info', 'mod', 'zip', 'list', 'latest'];
const users = ['jdoe', 'asmith', 'build-bot', 'mchen', 'anonymous', 'kpatel'];
const hosts = ['DEV-WS-0142', 'DEV-WS-0877', 'build-agent-03', 'lt-mchen', 'DEV-WS-1290'];
const goSettings = ['GOPROXY', 'GOSUMDB', 'GOPRIVATE', 'GONOSUMDB', 'GOFLAGS', 'GONOPROXY', 'GOINSECURE'];

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

function goPath(i: number): string {
  const suffix = pick(suffixes, i * 7);
  const module = pick(modules, i * 3);
  if (suffix === 'list') return `/${module}/@v/list`;
  if (suffix === 'latest') return `/${module}/@latest`;
  return `/${module}/@v/${pick(versions, i * 5)}.${suffix}`;
}

const status = (i: number): number => (i % 23 === 0 ? 404 : i % 41 === 0 ? 410 : 200);
const iso = (i: number): string => new Date(Date.UTC(2026, 10, 24, 8, 0, 0) + i * 137).toISOString();
const ip = (i: number): string => `10.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`;

const generators: Record<SourceFormat, (i: number) => string> = {
  athens: (i) => {
    const path = goPath(i);
    if (i % 3 === 0) return `INFO[${1 + (i % 12)}:${String(i % 60).padStart(2, '0')}AM]: incoming request\thttp-method=GET http-path=${path} http-status=${status(i)} request-id=${i.toString(16).padStart(12, '0')}`;
    if (i % 3 === 1)
      return JSON.stringify({ 'http-method': 'GET', 'http-path': path, 'http-status': String(status(i)), level: 'info', msg: 'incoming request', 'request-id': i.toString(16), time: iso(i) });
    return JSON.stringify({ time: iso(i), level: 'INFO', msg: 'incoming request', 'http-method': 'GET', 'http-path': path, 'http-status': status(i), 'request-id': i.toString(16) });
  },
  'artifactory-request': (i) =>
    `${iso(i)}|${i.toString(16).padStart(16, '0')}|${ip(i)}|${pick(users, i)}|GET|/artifactory/api/go/go-remote${goPath(i)}|${status(i)}|-1|${1000 + i * 13}|${5 + (i % 400)}|Go-http-client/1.1`,
  'artifactory-access': (i) =>
    `${iso(i)} [${i.toString(16).padStart(16, '0')}] [${i % 29 === 0 ? 'DENIED' : 'ACCEPTED'} DOWNLOAD] go-remote-cache:${goPath(i).slice(1)} for client : ${pick(users, i)} / ${ip(i)}.`,
  'nexus-request': (i) => {
    const date = new Date(Date.UTC(2026, 10, 24, 8, 0, 0) + i * 137);
    const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const stamp = `${String(date.getUTCDate()).padStart(2, '0')}/${month}/${date.getUTCFullYear()}:${date.toISOString().slice(11, 19)} +0000`;
    return `${ip(i)} - ${pick(users, i)} [${stamp}] "GET /repository/go-proxy${goPath(i)} HTTP/1.1" ${status(i)} - ${1000 + i * 13} ${5 + (i % 400)} "Go-http-client/1.1" [qtp1190654826-${i % 300}]`;
  },
  agent: (i) =>
    JSON.stringify({
      schema: 'modtrail.agent/v1',
      kind: 'goenv.change',
      time: iso(i),
      host: { name: pick(hosts, i), os: i % 4 === 0 ? 'linux' : 'windows' },
      user: { name: pick(users, i), domain: 'CORP' },
      scope: i % 3 === 0 ? 'machine' : 'user',
      mechanism: pick(['gpo', 'powershell', 'sccm', 'ansible', 'go_env_w', 'manual'], i),
      agent: { name: 'modtrail-agent', version: '1.4.2' },
      name: pick(goSettings, i),
      value: i % 5 === 0 ? 'off' : 'https://goproxy.corp.example.com,direct',
      previous_value: 'https://proxy.golang.org,direct',
    }),
  sysmon: (i) => {
    const setting = pick(goSettings, i);
    const target = i % 2 === 0 ? `HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment\\${setting}` : `HKU\\S-1-5-21-1004336348-1177238915-682003330-1001\\Environment\\${setting}`;
    return JSON.stringify({
      '@timestamp': iso(i),
      host: { name: pick(hosts, i) },
      winlog: {
        event_id: 13,
        provider_name: 'Microsoft-Windows-Sysmon',
        computer_name: `${pick(hosts, i)}.corp.example.com`,
        event_data: {
          RuleName: '-',
          EventType: 'SetValue',
          UtcTime: iso(i).replace('T', ' ').replace('Z', ''),
          ProcessGuid: '{b2c3d4e5-0000-0000-0000-000000000000}',
          ProcessId: String(4000 + (i % 900)),
          Image: 'C:\\Windows\\System32\\reg.exe',
          TargetObject: target,
          Details: 'https://goproxy.corp.example.com,direct',
          User: `CORP\\${pick(users, i)}`,
        },
      },
    });
  },
  'modtrail-api': (i) =>
    JSON.stringify({
      schema: 'modtrail.api/v1',
      time: iso(i),
      request_id: `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      method: 'GET',
      route: '/v1/modules/*module/downloads',
      url: `/v1/modules/${pick(modules, i)}/downloads?limit=50`,
      status: i % 17 === 0 ? 403 : 200,
      principal: { subject: `${pick(users, i)}@corp.example.com`, issuer: 'https://idp.corp.example.com', roles: ['analyst'] },
      client_ip: ip(i),
      user_agent: 'curl/8.5.0',
      duration_ms: 3 + (i % 40),
    }),
  'modtrail-lifecycle': (i) =>
    JSON.stringify({
      schema: 'modtrail.lifecycle/v1',
      time: iso(i),
      action: 'index.delete',
      index: { name: `modtrail-audit-2025.${String(1 + (i % 12)).padStart(2, '0')}.01`, uuid: `uuid${i.toString(16)}`, day: `2025-${String(1 + (i % 12)).padStart(2, '0')}-01`, documents: i * 101 },
      setting: { 'store.retention.days': 365, 'store.retention.deleteExpired': true },
      actor: 'modtrail_lifecycle',
      host: pick(hosts, i),
    }),
};

/** `count` raw events of one format, deterministic. */
export function realisticEvents(format: SourceFormat, count: number): string[] {
  return Array.from({ length: count }, (_, i) => generators[format](i + 1));
}
