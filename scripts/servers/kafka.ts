import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { cacheDir, kafkaBootstrap, ports, runDir, versions } from './places.js';
import { execFileAsync, startDaemon, stopDaemon, waitUntilReady, type Daemon } from './processes.js';

const home = (): string => join(cacheDir(), `kafka-${versions.kafka}`);
const libs = (): string => join(home(), 'libs');

/**
 * A random KRaft cluster id: 16 bytes in base64url, as Kafka makes them. One in 64 of those starts with "-", which
 * the storage tool's argument parser reads as an option ("-t: expected one argument"); Kafka skips those too.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export const kafkaDaemon = (): Daemon => ({
  name: 'kafka',
  pidFile: join(runDir('kafka'), 'kafka.pid'),
  logFile: join(runDir('kafka'), 'logs', 'server.log'),
});

/** The broker's jars from Maven Central: kafka_2.13 and its runtime closure, plus an slf4j binding for logs. */
export async function installKafka(): Promise<void> {
  const marker = join(home(), '.installed');
  if (existsSync(marker)) return;
  mkdirSync(home(), { recursive: true });
  const pom = join(home(), 'pom.xml');
  writeFileSync(
    pom,
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>modtrail.local</groupId><artifactId>kafka-runtime</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${versions.kafka}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>${versions.slf4jBinding}</version></dependency>
  </dependencies></project>\n`,
  );
  rmSync(libs(), { recursive: true, force: true });
  await execFileAsync(
    'mvn',
    ['-B', '-q', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libs()}`],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  writeFileSync(marker, new Date().toISOString());
}

/** A single combined broker+controller in KRaft mode on loopback, freshly formatted each start. */
export async function startKafka(): Promise<void> {
  await installKafka();
  const daemon = kafkaDaemon();
  await stopDaemon(daemon);
  const dir = runDir('kafka');
  const dataDir = join(dir, 'data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  rmSync(daemon.logFile, { force: true });
  mkdirSync(dataDir, { recursive: true });

  const properties = join(dir, 'server.properties');
  writeFileSync(
    properties,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.bootstrap.servers=127.0.0.1:${ports.kafkaController}`,
      `listeners=PLAINTEXT://127.0.0.1:${ports.kafka},CONTROLLER://127.0.0.1:${ports.kafkaController}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.kafka},CONTROLLER://127.0.0.1:${ports.kafkaController}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${dataDir}`,
      'num.partitions=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
      'delete.topic.enable=true',
      '',
    ].join('\n'),
  );
  const log4j = join(dir, 'log4j2.properties');
  writeFileSync(
    log4j,
    [
      'status=warn',
      'appender.stdout.type=Console',
      'appender.stdout.name=STDOUT',
      'appender.stdout.layout.type=PatternLayout',
      'appender.stdout.layout.pattern=[%d] %p %m (%c)%n',
      'rootLogger.level=info',
      'rootLogger.appenderRef.stdout.ref=STDOUT',
      '',
    ].join('\n'),
  );

  const jvm = [
    `-Xms256m`,
    process.env.MODTRAIL_KAFKA_HEAP ?? '-Xmx1g',
    '-XX:+UseG1GC',
    `-Dkafka.logs.dir=${join(dir, 'logs')}`,
    `-Dlog4j2.configurationFile=${log4j}`,
    '-cp',
    `${libs()}/*`,
  ];
  const clusterId = newClusterId();
  await execFileAsync('java', [...jvm, 'kafka.tools.StorageTool', 'format', '--standalone', '-t', clusterId, '-c', properties], {
    maxBuffer: 16 * 1024 * 1024,
  });
  startDaemon(daemon, 'java', [...jvm, 'kafka.Kafka', properties], process.env);
  await waitUntilReady(daemon, kafkaReady, 120_000);
}

export async function kafkaReady(): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'modtrail-readiness',
    brokers: [kafkaBootstrap()],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1000,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export const stopKafka = (): Promise<void> => stopDaemon(kafkaDaemon());
