import { spawn, execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

export const execFileAsync = promisify(execFile);

export interface Daemon {
  name: string;
  pidFile: string;
  logFile: string;
}

/** Starts a command in its own process group, output to a log file, and records the group leader's pid. */
export function startDaemon(
  daemon: Daemon,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): number {
  mkdirSync(dirname(daemon.logFile), { recursive: true });
  const out = openSync(daemon.logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], env, cwd });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`${daemon.name}: could not start ${command}`);
  child.unref();
  writeFileSync(daemon.pidFile, String(child.pid));
  return child.pid;
}

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readPid(daemon: Daemon): number | undefined {
  if (!existsSync(daemon.pidFile)) return undefined;
  const pid = Number(readFileSync(daemon.pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** SIGTERM to the whole group (runuser and java alike), SIGKILL if it outlives the grace period. */
export async function stopDaemon(daemon: Daemon, graceMs = 30_000): Promise<void> {
  const pid = readPid(daemon);
  if (pid === undefined) return;
  if (groupAlive(pid)) {
    process.kill(-pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(pid) && Date.now() < deadline) await sleep(200);
    if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
    while (groupAlive(pid)) await sleep(100);
  }
  rmSync(daemon.pidFile, { force: true });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until ready() resolves true; fails early, with the log's tail, if the daemon died. */
export async function waitUntilReady(
  daemon: Daemon,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    const pid = readPid(daemon);
    if (pid !== undefined && !groupAlive(pid)) {
      throw new Error(`${daemon.name} exited during start-up; log ${daemon.logFile}:\n${logTail(daemon.logFile)}`);
    }
    await sleep(500);
  }
  throw new Error(`${daemon.name} not ready after ${timeoutMs} ms; log ${daemon.logFile}:\n${logTail(daemon.logFile)}`);
}

export function logTail(file: string, lines = 40): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/**
 * Copies one Maven artifact into a directory of ours. Maven keeps its own cache wherever its settings say
 * (by default under Java's user.home, which need not be $HOME), so the path is never guessed.
 */
export async function mavenCopy(coordinate: string, outputDirectory: string): Promise<void> {
  await execFileAsync(
    'mvn',
    ['-B', '-q', 'dependency:copy', `-Dartifact=${coordinate}`, `-DoutputDirectory=${outputDirectory}`, '-Dmdep.stripVersion=false'],
    { maxBuffer: 16 * 1024 * 1024 },
  );
}

/** The JDK home for the java on PATH (or JAVA_HOME), which the OpenSearch launcher needs. */
export async function javaHome(): Promise<string> {
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  const { stdout } = await execFileAsync('sh', ['-c', 'readlink -f "$(command -v java)"']);
  return dirname(dirname(stdout.trim()));
}
