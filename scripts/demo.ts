// `npm start`: local Kafka and OpenSearch, `modtrail serve`, a small demo producer, and a webhook that prints alerts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { kafkaReady, startKafka, stopKafka } from './servers/kafka.js';
import { opensearchReady, startOpenSearch, stopOpenSearch } from './servers/opensearch.js';
import { cacheDir, kafkaBootstrap, opensearchUrl } from './servers/places.js';
import { generateSealKeyJwk } from '../src/integrity/keys.js';

const modules = [
  ['golang.org/x/text', 'v0.14.0'],
  ['golang.org/x/crypto', 'v0.17.0'],
  ['github.com/!burnt!sushi/toml', 'v1.3.2'],
  ['github.com/evil-corp/backdoor', 'v1.2.3'],
  ['gopkg.in/yaml.v3', 'v3.0.1'],
] as const;

function demoLine(i: number): string {
  const [module, version] = modules[i % modules.length]!;
  const suffix = ['info', 'mod', 'zip'][i % 3];
  return JSON.stringify({
    time: new Date().toISOString(),
    level: 'INFO',
    msg: 'incoming request',
    'http-method': 'GET',
    'http-path': `/${module}/@v/${version}.${suffix}`,
    'http-status': 200,
    'request-id': `demo-${i}`,
  });
}

async function main(): Promise<void> {
  const running = (await kafkaReady()) && (await opensearchReady().catch(() => false));
  if (!running) {
    console.log('starting Kafka and OpenSearch on loopback (the first run downloads them)…');
    await Promise.all([startKafka(), startOpenSearch()]);
  }
  console.log(`kafka ${kafkaBootstrap()}, opensearch ${opensearchUrl()}`);

  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const message = JSON.parse(body) as
        | { type: 'modtrail.alert'; data: { rule: { id: string[] }; record: { module?: string; version?: string } } }
        | { type: 'modtrail.alert.summary'; data: { headline: string } };
      // Repeats within the grouping window, and a throttled flood, arrive as one summary.
      if (message.type === 'modtrail.alert.summary') console.log(`ALERT SUMMARY ${message.data.headline}`);
      else console.log(`ALERT ${message.data.rule.id.join(',')}: ${message.data.record.module}@${message.data.record.version}`);
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const webhook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;

  // The demo's own seal key, made once outside the repository; a real deployment brings its own (docs/INTEGRITY.md).
  const sealKeyFile = process.env.MODTRAIL_INTEGRITY_KEYS_FILE ?? join(cacheDir(), 'demo-seal-key.json');
  if (!existsSync(sealKeyFile)) {
    mkdirSync(dirname(sealKeyFile), { recursive: true });
    writeFileSync(sealKeyFile, JSON.stringify(await generateSealKeyJwk('demo')), { mode: 0o600, flag: 'wx' });
    console.log(`demo: generated a seal signing key at ${sealKeyFile} (for the demo only)`);
  }

  const service = spawn(process.execPath, ['bin/modtrail.js', 'serve'], {
    stdio: 'inherit',
    env: { ...process.env, MODTRAIL_INTEGRITY_KEYS_FILE: sealKeyFile, MODTRAIL_ALERTS_WEBHOOK_URL: webhook, MODTRAIL_LOG_LEVEL: process.env.MODTRAIL_LOG_LEVEL ?? 'info' },
  });

  const producer = new Kafka({ clientId: 'modtrail-demo', brokers: [kafkaBootstrap()], logLevel: logLevel.ERROR }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  let sent = 0;
  const timer = setInterval(() => {
    const batch = Array.from({ length: 5 }, () => ({ value: demoLine(sent++) }));
    void producer.send({ topic: 'modtrail.proxy', messages: batch }).catch((error: unknown) => console.error('demo producer:', error));
  }, 2000);
  console.log(`demo: 5 Athens lines every 2 s to modtrail.proxy; records in ${opensearchUrl()}/modtrail-audit/_search; Ctrl-C stops`);

  const shutdown = async (): Promise<void> => {
    clearInterval(timer);
    await producer.disconnect();
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
    receiver.close();
    if (!running) await Promise.all([stopKafka(), stopOpenSearch()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  service.once('exit', (code) => {
    if (code !== 0) {
      console.error(`modtrail serve exited with ${code}`);
      void shutdown();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
