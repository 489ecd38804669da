// Fetches, starts and stops the real Kafka and OpenSearch on loopback: `tsx scripts/servers.ts install|up|down|status`.
import { installKafka, kafkaDaemon, kafkaReady, startKafka, stopKafka } from './servers/kafka.js';
import { installOpenSearch, opensearchDaemon, opensearchReady, startOpenSearch, stopOpenSearch } from './servers/opensearch.js';
import { ensureOpa } from './servers/opa.js';
import { kafkaBootstrap, opensearchUrl } from './servers/places.js';

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'install':
      await Promise.all([installKafka(), installOpenSearch(), ensureOpa()]);
      console.log('installed: kafka, opensearch, opa');
      return;
    case 'up':
      await Promise.all([startKafka(), startOpenSearch()]);
      console.log(`kafka ${kafkaBootstrap()} (log ${kafkaDaemon().logFile})`);
      console.log(`opensearch ${opensearchUrl()} (log ${opensearchDaemon().logFile})`);
      return;
    case 'down':
      await Promise.all([stopKafka(), stopOpenSearch()]);
      console.log('stopped');
      return;
    case 'status': {
      const [kafka, opensearch] = await Promise.all([kafkaReady(), opensearchReady().catch(() => false)]);
      console.log(`kafka ${kafka ? 'up' : 'down'}; opensearch ${opensearch ? 'up' : 'down'}`);
      return;
    }
    default:
      throw new Error('usage: servers.ts install|up|down|status');
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
