import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseEnv } from '@meterline/config';
import { K8sApiClient } from './api-client';
import { k8sEnv } from './k8s-env';
import { k8sSourceOptions } from './source-options';
import { FakeApiServer } from './test-support/fake-api-server';
import { FAKE_CA_PEM } from './test-support/fake-tls';

const optionsFrom = (env: Record<string, string>, serviceAccountDir?: string) =>
  k8sSourceOptions(parseEnv(k8sEnv, env), serviceAccountDir);

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    optionsFrom(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('k8sSourceOptions', () => {
  it('leaves the source off when neither an API URL nor in-cluster mode is set', () => {
    expect(optionsFrom({})).toBeUndefined();
  });

  it('builds client and poll options from an API URL and token, with the defaults', () => {
    expect(optionsFrom({ INGEST_K8S_API_URL: 'https://k8s.example:6443/', INGEST_K8S_TOKEN: 'abc' })).toEqual({
      client: {
        server: 'https://k8s.example:6443',
        token: 'abc',
        tokenFile: undefined,
        caFile: undefined,
        requestTimeoutMs: 10_000,
      },
      intervalMs: 15_000,
      pods: false,
    });
  });

  it('accepts a URL without credentials, as kubectl proxy serves', () => {
    expect(optionsFrom({ INGEST_K8S_API_URL: 'http://127.0.0.1:8001' })?.client).toMatchObject({
      server: 'http://127.0.0.1:8001',
      token: undefined,
      tokenFile: undefined,
    });
  });

  it('reads durations and the pods switch', () => {
    const options = optionsFrom({
      INGEST_K8S_API_URL: 'http://127.0.0.1:8001',
      INGEST_K8S_POLL_INTERVAL_MS: '30s',
      INGEST_K8S_REQUEST_TIMEOUT_MS: '2500',
      INGEST_K8S_PODS: 'true',
    });
    expect(options).toMatchObject({ intervalMs: 30_000, pods: true, client: { requestTimeoutMs: 2_500 } });
  });

  it('takes server, token file and CA from the service account in-cluster', () => {
    const options = optionsFrom({
      INGEST_K8S_IN_CLUSTER: 'true',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    });
    expect(options?.client).toEqual({
      server: 'https://10.96.0.1:443',
      token: undefined,
      tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
      requestTimeoutMs: 10_000,
    });
  });

  it('puts an IPv6 service host in brackets', () => {
    const options = optionsFrom({
      INGEST_K8S_IN_CLUSTER: 'true',
      KUBERNETES_SERVICE_HOST: 'fd00::1',
      KUBERNETES_SERVICE_PORT: '443',
    });
    expect(options?.client.server).toBe('https://[fd00::1]:443');
  });

  it('lets explicit settings override the in-cluster ones', () => {
    const options = optionsFrom({
      INGEST_K8S_IN_CLUSTER: 'true',
      INGEST_K8S_API_URL: 'https://api.internal:6443',
      INGEST_K8S_TOKEN: 'explicit',
      INGEST_K8S_CA_FILE: '/etc/ca.pem',
    });
    expect(options?.client).toMatchObject({
      server: 'https://api.internal:6443',
      token: 'explicit',
      tokenFile: undefined,
      caFile: '/etc/ca.pem',
    });
  });

  it('reports every impossible combination at once', () => {
    const problems = problemsOf({ INGEST_K8S_IN_CLUSTER: 'true', INGEST_K8S_TOKEN: 'a', INGEST_K8S_TOKEN_FILE: '/t' });
    expect(problems).toEqual([
      'INGEST_K8S_TOKEN and INGEST_K8S_TOKEN_FILE are both set: choose one',
      'INGEST_K8S_IN_CLUSTER=true, but KUBERNETES_SERVICE_HOST or KUBERNETES_SERVICE_PORT is unset: ' +
        'not running in a pod? Set INGEST_K8S_API_URL instead',
    ]);
  });

  it('reports credentials given while the source is off, as a forgotten URL', () => {
    expect(problemsOf({ INGEST_K8S_TOKEN: 'a', INGEST_K8S_CA_FILE: '/ca' })).toEqual([
      'INGEST_K8S_TOKEN, INGEST_K8S_CA_FILE set, but the Kubernetes source is off: ' +
        'set INGEST_K8S_API_URL or INGEST_K8S_IN_CLUSTER=true',
    ]);
  });

  it('rejects a poll interval under a second and a URL that is not http(s)', () => {
    expect(() => parseEnv(k8sEnv, { INGEST_K8S_POLL_INTERVAL_MS: '100ms', INGEST_K8S_API_URL: 'ftp://x' })).toThrow(
      /INGEST_K8S_API_URL \("ftp:\/\/x"\)[\s\S]*INGEST_K8S_POLL_INTERVAL_MS \("100ms"\): expected at least 1s/,
    );
  });

  it('connects in-cluster through the mounted token and CA to the FAKE API server over TLS', async () => {
    const fake = await FakeApiServer.start({ tokens: ['sa-token'], tls: true });
    fake.nodes = [{ name: 'node-a' }];
    const serviceAccount = await mkdtemp(join(tmpdir(), 'k8s-sa-'));
    try {
      await writeFile(join(serviceAccount, 'token'), 'sa-token');
      await writeFile(join(serviceAccount, 'ca.crt'), FAKE_CA_PEM);
      const env = {
        INGEST_K8S_IN_CLUSTER: 'true',
        KUBERNETES_SERVICE_HOST: '127.0.0.1',
        KUBERNETES_SERVICE_PORT: String(fake.port),
      };
      const options = optionsFrom(env, serviceAccount);
      if (options === undefined) throw new Error('expected the source to be on');
      const client = new K8sApiClient(options.client);
      expect(await client.list('/api/v1/nodes', 'NodeList')).toHaveLength(1);
      client.close();
      expect(fake.requests[0]?.authorization).toBe('Bearer sa-token');
    } finally {
      await fake.close();
      await rm(serviceAccount, { recursive: true, force: true });
    }
  });
});
