import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * TLS material of the FAKE API server (fake-api-server.ts), for tests only: a throwaway CA and a certificate it signed
 * for 127.0.0.1 and localhost, made with openssl when the tests load (P-256 keys, nothing kept on disk), so no key is
 * ever committed. Trusting FAKE_CA_PEM stands in for a pod trusting its cluster's ca.crt.
 */
function makeFakeTls(): { ca: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'meterline-fake-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const ec = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    openssl('genpkey', ...ec, '-out', 'ca.key');
    openssl('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=fake-kubernetes-ca', '-days', '3650', '-out', 'ca.crt',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    openssl('genpkey', ...ec, '-out', 'server.key');
    openssl('req', '-new', '-key', 'server.key', '-subj', '/CN=fake-kube-apiserver', '-out', 'server.csr');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '3650',
      '-extfile', 'ext.cnf', '-out', 'server.crt');
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    return { ca: read('ca.crt'), cert: read('server.crt'), key: read('server.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tls = makeFakeTls();
export const FAKE_CA_PEM = tls.ca;
export const FAKE_SERVER_CERT_PEM = tls.cert;
export const FAKE_SERVER_KEY_PEM = tls.key;
