#!/usr/bin/env node
// Composition root of the command line: parse, run one command, exit with its code (the only process.exit).
import { Command } from 'commander';
import { ModtrailError } from './core/errors.js';
import { serve } from './cli/serve.js';

const program = new Command()
  .name('modtrail')
  .description('Audit and compliance log for Go module proxies and Go settings')
  .showHelpAfterError()
  .exitOverride();

let run: Promise<number> = Promise.resolve(0);
program
  .command('serve')
  .description('consume proxy and agent events from Kafka, judge them with OPA, store them in OpenSearch, raise alerts')
  .option('-c, --config <file>', 'JSON configuration file (also MODTRAIL_CONFIG)')
  .action((options: { config?: string }) => {
    run = serve(options);
  });

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    return typeof code === 'number' ? code : 2;
  }
  try {
    return await run;
  } catch (error) {
    process.stderr.write(`modtrail: ${error instanceof ModtrailError || error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof ModtrailError && error.code === 'config.invalid' ? 78 : 1;
  }
}

main().then((code) => process.exit(code));
