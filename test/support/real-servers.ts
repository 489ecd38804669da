// Starts the real Kafka and OpenSearch for the integration suite, or reuses the ones `npm run servers:up` left running.
import type { TestProject } from 'vitest/node';
import { kafkaDaemon, kafkaReady, startKafka, stopKafka } from '../../scripts/servers/kafka.js';
import { opensearchDaemon, opensearchReady, startOpenSearch, stopOpenSearch } from '../../scripts/servers/opensearch.js';
import { kafkaBootstrap, opensearchUrl } from '../../scripts/servers/places.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    opensearchUrl: string;
    serverLogs: { kafka: string; opensearch: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const running = (await kafkaReady()) && (await opensearchReady().catch(() => false));
  if (!running) await Promise.all([startKafka(), startOpenSearch()]);
  project.provide('kafkaBrokers', [kafkaBootstrap()]);
  project.provide('opensearchUrl', opensearchUrl());
  project.provide('serverLogs', { kafka: kafkaDaemon().logFile, opensearch: opensearchDaemon().logFile });
  console.log(`real servers ${running ? 'reused' : 'started'}: kafka ${kafkaBootstrap()} (log ${kafkaDaemon().logFile}), opensearch ${opensearchUrl()} (log ${opensearchDaemon().logFile})`);
  return async () => {
    if (!running) await Promise.all([stopKafka(), stopOpenSearch()]);
  };
}
