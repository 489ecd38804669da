// A throw-away PKI for mutual-TLS tests, made with the openssl CLI at test time so no key is ever committed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  /** The CA that issued the server and the trusted client certificate. */
  caFile: string;
  server: { cert: Buffer; key: Buffer };
  /** A client certificate the receiver trusts (CN `modtrail-alerts`). */
  client: { certFile: string; keyFile: string };
  /** The same key, encrypted with `passphrase`. */
  encryptedKeyFile: string;
  passphrase: string;
  /** A client certificate from another CA (CN `intruder`), which the receiver must refuse. */
  rogue: { certFile: string; keyFile: string };
  ca: Buffer;
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function authority(dir: string, name: string, subject: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${subject}`]);
}

function issue(dir: string, name: string, subject: string, by: string, extensions: string): void {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${subject}`]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${by}.pem`, '-CAkey', `${by}.key`, '-set_serial', String(Date.now()), '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
}

/** Makes a CA, a server certificate for 127.0.0.1, a trusted and a rogue client certificate. */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'modtrail-pki-'));
  authority(dir, 'ca', 'modtrail test CA');
  authority(dir, 'rogue-ca', 'someone else');
  issue(dir, 'server', '127.0.0.1', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue(dir, 'client', 'modtrail-alerts', 'ca', 'extendedKeyUsage=clientAuth\n');
  issue(dir, 'rogue', 'intruder', 'rogue-ca', 'extendedKeyUsage=clientAuth\n');
  const passphrase = 'correct horse battery staple';
  openssl(dir, ['pkey', '-in', 'client.key', '-aes256', '-passout', `pass:${passphrase}`, '-out', 'client-encrypted.key']);
  const at = (file: string) => join(dir, file);
  return {
    dir,
    caFile: at('ca.pem'),
    ca: readFileSync(at('ca.pem')),
    server: { cert: readFileSync(at('server.pem')), key: readFileSync(at('server.key')) },
    client: { certFile: at('client.pem'), keyFile: at('client.key') },
    encryptedKeyFile: at('client-encrypted.key'),
    passphrase,
    rogue: { certFile: at('rogue.pem'), keyFile: at('rogue.key') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
