#!/usr/bin/env node
// Composition root of the command line: parse, run one command, exit with its code (the only process.exit).
import { Command, InvalidArgumentError } from 'commander';
import { ModtrailError } from './core/errors.js';
import { normalize, normalizeFormats, parseFormat, type NormalizeFormat } from './cli/normalize.js';
import { policyEval } from './cli/policy-eval.js';
import { policyReplay } from './cli/policy-replay.js';
import { policyTest } from './cli/policy-test.js';
import { serve } from './cli/serve.js';
import { loadConfig } from './config/load.js';

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
  .option('--policy-data <file>', 'policy data JSON: allowlists, approved proxies (also MODTRAIL_POLICY_DATA)')
  .option('--policy-bundle <dir>', 'compiled policy bundle directory (also MODTRAIL_POLICY_BUNDLE_DIR)')
  .action((options: { config?: string; policyData?: string; policyBundle?: string }) => {
    run = serve(options);
  });

program
  .command('normalize')
  .description('read one raw event per line on stdin, write one audit record (JSON) per line on stdout; rejections on stderr')
  .option('-f, --format <format>', `source format: ${normalizeFormats.join(', ')}`, parseFormat, 'auto')
  .option('-t, --time <iso>', 'transport timestamp for lines without a date (default: now)', parseTime)
  .action((options: { format: NormalizeFormat; time?: Date }) => {
    run = normalize(options, process.stdin, process.stdout, process.stderr);
  });

const policy = program.command('policy').description('judge records with the OPA policy bundle');

/** The bundle and data a policy command uses: flags first, then the configuration (file, MODTRAIL_*), then defaults. */
function policySource(
  options: { bundle?: string; data?: string; config?: string },
  config = loadConfig(process.env, options.config ?? process.env.MODTRAIL_CONFIG),
): { bundleDir: string; dataFile: string } {
  return { bundleDir: options.bundle ?? config.policy.bundleDir, dataFile: options.data ?? config.policy.dataFile };
}

policy
  .command('eval')
  .description('read audit records (JSON lines) on stdin, write them with the decision attached on stdout')
  .option('-b, --bundle <dir>', 'policy bundle directory (policy.wasm, manifest.json)')
  .option('-d, --data <file>', 'policy data JSON (allowlists, approved proxies)')
  .option('-c, --config <file>', 'JSON configuration file (also MODTRAIL_CONFIG)')
  .action((options: { bundle?: string; data?: string; config?: string }) => {
    run = policyEval(policySource(options), process.stdin, process.stdout, process.stderr);
  });

policy
  .command('test')
  .description("run the project's policy fixtures: records in, expected rule ids out")
  .option('-b, --bundle <dir>', 'policy bundle directory')
  .option('-d, --data <file>', 'policy data JSON')
  .option('-f, --fixtures <dir>', 'fixtures directory', 'policies/fixtures')
  .option('-c, --config <file>', 'JSON configuration file (also MODTRAIL_CONFIG)')
  .action((options: { bundle?: string; data?: string; fixtures: string; config?: string }) => {
    run = policyTest(policySource(options), options.fixtures, process.stdout);
  });

policy
  .command('replay')
  .description('re-judge stored records of a time range with another bundle or data; findings go to a separate index')
  .requiredOption('--from <iso>', 'start of the range (inclusive), by the records\' own time', parseTime)
  .requiredOption('--to <iso>', 'end of the range (exclusive)', parseTime)
  .option('-b, --bundle <dir>', 'policy bundle directory')
  .option('-d, --data <file>', 'policy data JSON')
  .option('-c, --config <file>', 'JSON configuration file (also MODTRAIL_CONFIG)')
  .option('--json', 'print the summary as JSON', false)
  .action((options: { from: Date; to: Date; bundle?: string; data?: string; config?: string; json: boolean }) => {
    const config = loadConfig(process.env, options.config ?? process.env.MODTRAIL_CONFIG);
    run = policyReplay(config, policySource(options, config), { from: options.from, to: options.to }, { json: options.json }, process.stdout).then(() => 0);
  });

function parseTime(value: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new InvalidArgumentError('must be an ISO 8601 time, e.g. 2026-11-24T00:00:00Z');
  return time;
}

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
