#!/usr/bin/env node
// Composition root of the command line: parse, run one command, exit with its code (the only process.exit).
import { Command, InvalidArgumentError } from 'commander';
import { ModtrailError } from './core/errors.js';
import { normalize, normalizeFormats, parseFormat, type NormalizeFormat } from './cli/normalize.js';
import { policyEval } from './cli/policy-eval.js';
import { policyReplay } from './cli/policy-replay.js';
import { policyTest } from './cli/policy-test.js';
import { serve } from './cli/serve.js';
import { keysExportPublic, keysGenerate } from './cli/keys.js';
import { verify } from './cli/verify.js';
import { exportCommand } from './cli/export.js';
import { verifyExportCommand } from './cli/verify-export.js';
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

program
  .command('verify')
  .description('check stored records, dead letters and signed seals of a time range; print each problem; exit 1 if any')
  .requiredOption('--from <iso>', 'start of the range (inclusive), by the records\' own time', parseTime)
  .requiredOption('--to <iso>', 'end of the range (exclusive)', parseTime)
  .option('-c, --config <file>', 'JSON configuration file (also MODTRAIL_CONFIG)')
  .option('--jwks <file>', 'public JWKS to verify with (default: the public parts of the configured seal keys)')
  .option('--allow-gaps', 'explicit gaps (offsets Kafka never delivered, named in a seal) do not fail the check', false)
  .option('--sealed-before <iso>', 'records ingested before this must be sealed (default: now minus twice the seal cadence and a minute)', parseTime)
  .action((options: { from: Date; to: Date; config?: string; jwks?: string; allowGaps: boolean; sealedBefore?: Date }) => {
    const config = loadConfig(process.env, options.config ?? process.env.MODTRAIL_CONFIG);
    run = verify(
      config,
      {
        from: options.from,
        to: options.to,
        allowGaps: options.allowGaps,
        ...(options.jwks === undefined ? {} : { jwks: options.jwks }),
        ...(options.sealedBefore === undefined ? {} : { sealedBefore: options.sealedBefore }),
      },
      process.stdout,
    );
  });

const keys = program.command('keys').description('seal signing keys');

keys
  .command('generate')
  .description('print a new private seal key (JWK); store it where only the sealer can read it')
  .option('--kid <kid>', 'key id (default: seal-<today>)')
  .option('--alg <alg>', 'EdDSA (Ed25519) or ES256 (P-256)', 'EdDSA')
  .action((options: { kid?: string; alg: string }) => {
    run = keysGenerate(options, process.stdout);
  });

keys
  .command('export-public')
  .description('print the public JWKS of the configured seal keys (what /.well-known/jwks.json serves)')
  .option('-c, --config <file>', 'JSON configuration file (also MODTRAIL_CONFIG)')
  .action((options: { config?: string }) => {
    run = keysExportPublic(loadConfig(process.env, options.config ?? process.env.MODTRAIL_CONFIG), process.stdout);
  });

program
  .command('export')
  .description('export the records of a time range (and filters), their seals and dead letters, with a signed manifest, into a directory')
  .requiredOption('--from <iso>', "start of the range (inclusive), by the records' own time", parseTime)
  .requiredOption('--to <iso>', 'end of the range (exclusive)', parseTime)
  .requiredOption('-o, --out <dir>', 'bundle directory (created; must be empty)')
  .option('-f, --format <format>', 'jsonl, csv or ocsf (csv and ocsf also keep records.jsonl as the evidence)', parseExportFormat, 'jsonl')
  .option('--dataset <name>', 'event.dataset')
  .option('--action <action>', 'event.action (repeat for any of several)', (value: string, previous: string[] = []) => [...previous, value])
  .option('--user <name>', 'user.name')
  .option('--host <name>', 'host.name')
  .option('--module <path>', 'package.name (a Go module path)')
  .option('--module-version <version>', 'package.version')
  .option('--proxy <name>', 'observer.name (the proxy)')
  .option('--outcome <outcome>', 'success, failure or unknown')
  .option('--rule-id <id>', 'a matched rule id')
  .option('--severity <n>', 'exact event.severity (1-5)', parseSeverity)
  .option('--min-severity <n>', 'event.severity at least (1-5)', parseSeverity)
  .option('--exporter <name>', 'who the manifest names as exporter (default: user@host)')
  .option('-c, --config <file>', 'JSON configuration file (also MODTRAIL_CONFIG)')
  .action((options: Record<string, unknown> & { from: Date; to: Date; out: string; format: 'jsonl' | 'csv' | 'ocsf'; config?: string; exporter?: string }) => {
    const config = loadConfig(process.env, options.config ?? process.env.MODTRAIL_CONFIG);
    // Flag name → filter name; the filters are validated (zod) inside the command.
    const flags = { dataset: 'dataset', action: 'actions', user: 'user', host: 'host', module: 'module', moduleVersion: 'version', proxy: 'proxy', outcome: 'outcome', ruleId: 'ruleId', severity: 'severity', minSeverity: 'minSeverity' };
    const filters = Object.fromEntries(Object.entries(flags).filter(([flag]) => options[flag] !== undefined).map(([flag, name]) => [name, options[flag]]));
    run = exportCommand(
      config,
      { from: options.from, to: options.to, out: options.out, format: options.format, filters, ...(options.exporter === undefined ? {} : { exporter: options.exporter }) },
      process.stdout,
    );
  });

program
  .command('verify-export')
  .description('verify an export bundle offline with public keys only; print each problem; exit 1 if any')
  .argument('<dir>', 'the bundle directory')
  .requiredOption('--jwks <file>', 'public JWKS obtained out of band (not the copy inside the bundle)')
  .option('--json', 'print the result as JSON', false)
  .option('--allow-gaps', 'explicit gaps (offsets Kafka never delivered, named in a seal) are notes and do not fail the check', false)
  .action((dir: string, options: { jwks: string; json: boolean; allowGaps: boolean }) => {
    run = verifyExportCommand(dir, options, process.stdout);
  });

function parseExportFormat(value: string): 'jsonl' | 'csv' | 'ocsf' {
  if (value !== 'jsonl' && value !== 'csv' && value !== 'ocsf') throw new InvalidArgumentError('must be jsonl, csv or ocsf');
  return value;
}

function parseSeverity(value: string): number {
  if (!/^[1-5]$/.test(value)) throw new InvalidArgumentError('must be 1 to 5');
  return Number(value);
}

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
