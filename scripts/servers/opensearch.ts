import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, isRoot, opensearchUrl, ports, runDir, versions } from './places.js';
import { execFileAsync, javaHome, mavenCopy, startDaemon, stopDaemon, waitUntilReady, type Daemon } from './processes.js';

/** OpenSearch refuses to run as root, so as root it runs as this system user. */
const serviceUser = 'modtrail-search';

const home = (): string => join(cacheDir(), `opensearch-${versions.opensearch}`);

export const opensearchDaemon = (): Daemon => ({
  name: 'opensearch',
  pidFile: join(runDir('opensearch'), 'opensearch.pid'),
  logFile: join(runDir('opensearch'), 'logs', 'console.log'),
});

/** The integ-test-zip distribution from Maven Central (no bundled JDK, no plugins), unpacked into the cache. */
export async function installOpenSearch(): Promise<void> {
  const marker = join(home(), '.installed');
  if (existsSync(marker)) return;
  const coordinate = `org.opensearch.distribution.integ-test-zip:opensearch:${versions.opensearch}:zip`;
  const downloads = join(cacheDir(), 'downloads');
  await mavenCopy(coordinate, downloads);
  const zip = join(downloads, `opensearch-${versions.opensearch}.zip`);
  const staging = `${home()}.unpacking`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await execFileAsync('unzip', ['-q', zip, '-d', staging]);
  rmSync(home(), { recursive: true, force: true });
  renameSync(join(staging, `opensearch-${versions.opensearch}`), home());
  rmSync(staging, { recursive: true, force: true });
  rmSync(zip, { force: true });
  writeFileSync(marker, new Date().toISOString());
}

async function ensureServiceUser(paths: string[]): Promise<void> {
  const exists = await execFileAsync('id', ['-u', serviceUser]).then(
    () => true,
    () => false,
  );
  if (!exists) await execFileAsync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', serviceUser]);
  for (const path of paths) await execFileAsync('chown', ['-R', `${serviceUser}:`, path]);
}

/** One single-node cluster on loopback with disk watermarks off, freshly emptied each start. */
export async function startOpenSearch(): Promise<void> {
  await installOpenSearch();
  const daemon = opensearchDaemon();
  await stopDaemon(daemon);
  const dir = runDir('opensearch');
  const dataDir = join(dir, 'data');
  const logsDir = join(dir, 'logs');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(logsDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(logsDir, { recursive: true });

  const settings = [
    '-Ediscovery.type=single-node',
    '-Ecluster.name=modtrail-local',
    '-Enetwork.host=127.0.0.1',
    `-Ehttp.port=${ports.opensearch}`,
    `-Etransport.port=${ports.opensearchTransport}`,
    `-Epath.data=${dataDir}`,
    `-Epath.logs=${logsDir}`,
    '-Ecluster.routing.allocation.disk.threshold_enabled=false',
  ];
  const env = {
    OPENSEARCH_JAVA_HOME: await javaHome(),
    OPENSEARCH_JAVA_OPTS: process.env.MODTRAIL_OPENSEARCH_HEAP ?? '-Xms512m -Xmx1g',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
  const launcher = join(home(), 'bin', 'opensearch');
  if (isRoot) {
    await ensureServiceUser([home(), dir]);
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    startDaemon(daemon, 'runuser', ['-u', serviceUser, '--', 'env', ...envArgs, launcher, ...settings], process.env, dir);
  } else {
    startDaemon(daemon, launcher, settings, { ...process.env, ...env }, dir);
  }
  await waitUntilReady(daemon, opensearchReady, 180_000);
}

export async function opensearchReady(): Promise<boolean> {
  const response = await fetch(`${opensearchUrl()}/_cluster/health?wait_for_status=yellow&timeout=1s`, {
    signal: AbortSignal.timeout(3000),
  });
  return response.ok;
}

export const stopOpenSearch = (): Promise<void> => stopDaemon(opensearchDaemon());
