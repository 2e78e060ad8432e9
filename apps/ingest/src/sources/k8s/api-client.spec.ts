import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMeterlineError } from '@meterline/stream';
import { K8sApiClient, type K8sClientOptions } from './api-client';
import { FakeApiServer } from './test-support/fake-api-server';
import { FAKE_CA_PEM } from './test-support/fake-tls';

const TOKEN = 'fake-token-1';

async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    if (isMeterlineError(err)) return { kind: err.kind, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('K8sApiClient against the FAKE API server', () => {
  let fake: FakeApiServer;
  let dir: string;
  const client = (options: Partial<K8sClientOptions> = {}) =>
    new K8sApiClient({ server: fake.url, token: TOKEN, ...options });

  beforeEach(async () => {
    fake = await FakeApiServer.start({ tokens: [TOKEN] });
    fake.nodes = ['n1', 'n2', 'n3', 'n4', 'n5'].map((name) => ({ name }));
    dir = await mkdtemp(join(tmpdir(), 'k8s-client-'));
  });
  afterEach(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists nodes, sending the bearer token and asking for JSON', async () => {
    const c = client();
    const items = await c.list('/api/v1/nodes', 'NodeList');
    c.close();
    expect(items.map((n) => (n as { metadata: { name: string } }).metadata.name)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(fake.requests).toEqual([
      expect.objectContaining({ method: 'GET', url: '/api/v1/nodes', authorization: `Bearer ${TOKEN}` }),
    ]);
  });

  it('follows continue tokens through every page of a list', async () => {
    const c = client();
    const items = await c.list('/api/v1/nodes', 'NodeList', { pageSize: 2 });
    c.close();
    expect(items).toHaveLength(5);
    expect(fake.requests.map((r) => r.url)).toEqual([
      '/api/v1/nodes?limit=2',
      '/api/v1/nodes?limit=2&continue=2',
      '/api/v1/nodes?limit=2&continue=4',
    ]);
  });

  it('treats a rejected token as a fatal error naming the variables to fix', async () => {
    const err = await failureOf(client({ token: 'wrong' }).list('/api/v1/nodes', 'NodeList'));
    expect(err).toMatchObject({ kind: 'fatal', code: 'K8S_UNAUTHORIZED' });
    expect(err.message).toContain('answered 401: Unauthorized');
    expect(err.message).toContain('INGEST_K8S_TOKEN');
  });

  it('treats a missing permission as fatal, quoting the API server and naming the RBAC rules needed', async () => {
    fake.failNext('/apis/metrics.k8s.io/v1beta1/nodes', 403);
    const err = await failureOf(client().list('/apis/metrics.k8s.io/v1beta1/nodes', 'NodeMetricsList'));
    expect(err).toMatchObject({ kind: 'fatal', code: 'K8S_FORBIDDEN' });
    expect(err.message).toContain('cannot list resource "nodes" in API group "metrics.k8s.io"');
    expect(err.message).toContain('ClusterRole');
  });

  it('says metrics-server is not installed when the metrics API answers 404', async () => {
    await fake.close();
    fake = await FakeApiServer.start({ tokens: [TOKEN], metricsServer: false });
    const err = await failureOf(client().list('/apis/metrics.k8s.io/v1beta1/nodes', 'NodeMetricsList'));
    expect(err).toMatchObject({ kind: 'fatal', code: 'K8S_METRICS_API_MISSING' });
    expect(err.message).toContain('metrics-server is not installed');
  });

  it('treats a 404 elsewhere as a wrong URL', async () => {
    const err = await failureOf(client().get('/api/v1/nodez'));
    expect(err).toMatchObject({ kind: 'fatal', code: 'K8S_NOT_FOUND' });
  });

  it.each([
    [500, 'K8S_SERVER_ERROR'],
    [503, 'K8S_SERVER_ERROR'],
    [429, 'K8S_THROTTLED'],
    [410, 'K8S_LIST_EXPIRED'],
  ])('treats a %d as transient (%s)', async (status, code) => {
    fake.failNext('/api/v1/nodes', status);
    expect(await failureOf(client().list('/api/v1/nodes', 'NodeList'))).toMatchObject({ kind: 'transient', code });
  });

  it('treats another 4xx as a fatal rejection', async () => {
    fake.failNext('/api/v1/nodes', 400);
    const err = await failureOf(client().list('/api/v1/nodes', 'NodeList'));
    expect(err).toMatchObject({ kind: 'fatal', code: 'K8S_REQUEST_REJECTED' });
  });

  it('gives up on a slow answer after the request timeout, as a transient error', async () => {
    fake.delay(2_000);
    const started = performance.now();
    const err = await failureOf(client({ requestTimeoutMs: 100 }).get('/api/v1/nodes'));
    expect(err).toMatchObject({ kind: 'transient', code: 'K8S_TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('treats a refused connection as transient', async () => {
    const port = fake.port;
    await fake.close();
    const err = await failureOf(new K8sApiClient({ server: `http://127.0.0.1:${port}` }).get('/api/v1/nodes'));
    expect(err).toMatchObject({ kind: 'transient', code: 'K8S_UNREACHABLE' });
    expect(err.message).toContain('ECONNREFUSED');
    fake = await FakeApiServer.start({ tokens: [TOKEN] });
  });

  it('rejects a list of another kind as fatal', async () => {
    const err = await failureOf(client().list('/api/v1/nodes', 'PodList'));
    expect(err).toMatchObject({ kind: 'fatal', code: 'K8S_UNEXPECTED_RESPONSE' });
    expect(err.message).toContain('answered kind "NodeList", expected a PodList');
  });

  it('rejects a server that answers with something other than JSON as fatal', async () => {
    const web = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>welcome</html>');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const server = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    const c = new K8sApiClient({ server });
    const err = await failureOf(c.get('/api/v1/nodes'));
    c.close();
    await new Promise((resolve) => web.close(resolve));
    expect(err).toMatchObject({ kind: 'fatal', code: 'K8S_UNEXPECTED_RESPONSE' });
    expect(err.message).toContain('with text/html, not JSON');
  });

  it('reads the token file again for every request, so a rotated token is used', async () => {
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 'token-a\n');
    fake.acceptTokens('token-a');
    const c = new K8sApiClient({ server: fake.url, tokenFile });
    await c.get('/api/v1/nodes');
    await writeFile(tokenFile, 'token-b\n');
    fake.acceptTokens('token-b');
    await c.get('/api/v1/nodes');
    c.close();
    expect(fake.requests.map((r) => r.authorization)).toEqual(['Bearer token-a', 'Bearer token-b']);
  });

  it('reports a missing token file as fatal, naming the file', async () => {
    const tokenFile = join(dir, 'absent');
    const err = await failureOf(new K8sApiClient({ server: fake.url, tokenFile }).get('/api/v1/nodes'));
    expect(err).toMatchObject({ kind: 'fatal', code: 'K8S_TOKEN_FILE_UNREADABLE' });
    expect(err.message).toContain(tokenFile);
  });

  it('stops a request in flight when its signal is aborted', async () => {
    fake.delay(5_000);
    const controller = new AbortController();
    const pending = client().get('/api/v1/nodes', controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('K8sApiClient over TLS against the FAKE API server', () => {
  let fake: FakeApiServer;
  let dir: string;

  beforeAll(async () => {
    fake = await FakeApiServer.start({ tokens: [TOKEN], tls: true });
    fake.nodes = [{ name: 'n1' }];
    dir = await mkdtemp(join(tmpdir(), 'k8s-tls-'));
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('trusts the API server through the CA file', async () => {
    const caFile = join(dir, 'ca.crt');
    await writeFile(caFile, FAKE_CA_PEM);
    const c = new K8sApiClient({ server: fake.url, token: TOKEN, caFile });
    expect(await c.list('/api/v1/nodes', 'NodeList')).toHaveLength(1);
    c.close();
  });

  it('treats an untrusted certificate as fatal, naming INGEST_K8S_CA_FILE', async () => {
    const err = await failureOf(new K8sApiClient({ server: fake.url, token: TOKEN }).get('/api/v1/nodes'));
    expect(err).toMatchObject({ kind: 'fatal', code: 'K8S_TLS_UNTRUSTED' });
    expect(err.message).toContain('INGEST_K8S_CA_FILE');
  });

  it('reports a missing CA file as fatal, naming the file', async () => {
    const caFile = join(dir, 'no-such-ca.crt');
    const err = await failureOf(new K8sApiClient({ server: fake.url, token: TOKEN, caFile }).get('/api/v1/nodes'));
    expect(err).toMatchObject({ kind: 'fatal', code: 'K8S_CA_FILE_UNREADABLE' });
    expect(err.message).toContain(caFile);
  });
});
