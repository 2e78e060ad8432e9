import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { FAKE_SERVER_CERT_PEM, FAKE_SERVER_KEY_PEM } from './fake-tls';

/** A node of the fake cluster: its Node object and, when `usage` is set, its NodeMetrics. */
export interface FakeNode {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly capacity?: Readonly<Record<string, string>>;
  readonly allocatable?: Readonly<Record<string, string>>;
  /** Absent: metrics-server has no sample for the node yet, so the NodeMetricsList leaves it out. */
  readonly usage?: { readonly cpu: string; readonly memory: string; readonly timestamp: string; readonly window?: string };
}

export interface FakeContainer {
  readonly name: string;
  readonly limits?: Readonly<Record<string, string>>;
  readonly usage?: { readonly cpu: string; readonly memory: string };
}

/** A pod of the fake cluster: its Pod object and, when `timestamp` is set, its PodMetrics. */
export interface FakePod {
  readonly namespace: string;
  readonly name: string;
  /** Absent: not scheduled yet. */
  readonly nodeName?: string;
  readonly containers: readonly FakeContainer[];
  readonly timestamp?: string;
  readonly window?: string;
  /** False: the pod has metrics but is gone from the PodList, as when it is deleted between the two requests. */
  readonly inPodList?: boolean;
}

export interface FakeRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly authorization: string | undefined;
  /** performance.now() when the request arrived. */
  readonly at: number;
}

export interface FakeApiServerOptions {
  /** Bearer tokens the server accepts; any other token, or none, is answered 401. */
  readonly tokens: readonly string[];
  /** Serve HTTPS with a certificate signed by FAKE_CA_PEM (fake-tls.ts), as a real API server does. */
  readonly tls?: boolean;
  /** False: metrics-server is not installed, so metrics.k8s.io paths answer 404 like kube-apiserver does. */
  readonly metricsServer?: boolean;
}

const status = (code: number, reason: string, message: string, details: object = {}) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  details,
  code,
});

const CREATED = '2024-01-01T00:00:00Z';

/**
 * A FAKE Kubernetes API server for tests: no cluster runs on this machine, so the client and poller are tested
 * against this. It listens on 127.0.0.1 (port 0), checks the bearer token, and serves the four endpoints the source
 * reads with bodies in the shape of the real API (v1 NodeList and PodList, metrics.k8s.io/v1beta1 NodeMetricsList
 * and PodMetricsList, `Status` objects for errors, `limit`/`continue` paging of the core lists). It can fail or
 * delay requests on demand. It knows nothing of the production code: paths and shapes are written out here, so a
 * wrong path or field in the source fails its tests instead of agreeing with itself.
 */
export class FakeApiServer {
  nodes: FakeNode[] = [];
  pods: FakePod[] = [];
  readonly requests: FakeRequest[] = [];
  private tokens: Set<string>;
  private failures: { path: string; status: number; remaining: number }[] = [];
  private delayMs = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakeApiServerOptions,
  ) {
    this.tokens = new Set(options.tokens);
    server.on('request', (req, res) => this.handle(req, res));
  }

  static async start(options: FakeApiServerOptions): Promise<FakeApiServer> {
    const server = options.tls
      ? https.createServer({ cert: FAKE_SERVER_CERT_PEM, key: FAKE_SERVER_KEY_PEM })
      : http.createServer();
    const fake = new FakeApiServer(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** Replaces the accepted tokens, as when a service-account token rotates. */
  acceptTokens(...tokens: string[]): void {
    this.tokens = new Set(tokens);
  }

  /** The next `times` requests for `path` (without query) answer `status` with a Status body. */
  failNext(path: string, code: number, times = 1): void {
    this.failures.push({ path, status: code, remaining: times });
  }

  /** Every following request is answered only after `ms`. */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  /** Requests for `path`, in order of arrival. */
  requestsFor(path: string): FakeRequest[] {
    return this.requests.filter((r) => r.url.split('?')[0] === path);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const { method = '', url: target = '' } = req;
    this.requests.push({ method, url: target, authorization: req.headers.authorization, at: performance.now() });
    const answer = () => {
      if (res.destroyed) return;
      const [code, body] = this.respond(req, url);
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.delayMs <= 0) return answer();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      answer();
    }, this.delayMs);
    this.timers.add(timer);
  }

  private respond(req: http.IncomingMessage, url: URL): [number, unknown] {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.tokens.has(auth.slice('Bearer '.length))) {
      return [401, status(401, 'Unauthorized', 'Unauthorized')];
    }
    const failure = this.failures.find((f) => f.path === url.pathname && f.remaining > 0);
    if (failure) {
      failure.remaining -= 1;
      if (failure.status === 403) {
        const [group, resource] = url.pathname.startsWith('/apis/metrics.k8s.io/')
          ? ['metrics.k8s.io', url.pathname.split('/').pop()]
          : ['', url.pathname.split('/').pop()];
        const what = group ? `${resource}.${group}` : resource;
        const message =
          `${what} is forbidden: User "system:serviceaccount:meterline:ingest" cannot list resource "${resource}" ` +
          `in API group "${group}" at the cluster scope`;
        return [403, status(403, 'Forbidden', message, { group, kind: resource })];
      }
      const reason = failure.status >= 500 ? 'InternalError' : 'BadRequest';
      return [failure.status, status(failure.status, reason, 'fake failure')];
    }
    if (req.method !== 'GET') return [405, status(405, 'MethodNotAllowed', 'the server does not allow this method')];

    const metricsServer = this.options.metricsServer ?? true;
    switch (url.pathname) {
      case '/api/v1/nodes':
        return [200, this.page('NodeList', this.nodes.map(nodeObject), url)];
      case '/api/v1/pods':
        return [200, this.page('PodList', this.pods.filter((p) => p.inPodList ?? true).map(podObject), url)];
      case '/apis/metrics.k8s.io/v1beta1/nodes':
        if (!metricsServer) break;
        return [200, metricsList('NodeMetricsList', this.nodes.flatMap(nodeMetrics))];
      case '/apis/metrics.k8s.io/v1beta1/pods':
        if (!metricsServer) break;
        return [200, metricsList('PodMetricsList', this.pods.flatMap(podMetrics))];
    }
    return [404, status(404, 'NotFound', 'the server could not find the requested resource')];
  }

  /** Core lists honour `limit` and `continue` as the real API server does; the token here is just an offset. */
  private page(kind: string, items: unknown[], url: URL): unknown {
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const from = Number(url.searchParams.get('continue') ?? '0');
    const end = limit > 0 ? Math.min(items.length, from + limit) : items.length;
    const metadata: Record<string, unknown> = { resourceVersion: '4242' };
    if (end < items.length) {
      metadata['continue'] = String(end);
      metadata['remainingItemCount'] = items.length - end;
    }
    return { kind, apiVersion: 'v1', metadata, items: items.slice(from, end) };
  }
}

// Items of a list carry no kind/apiVersion of their own, as in the real API.
const nodeObject = (n: FakeNode) => ({
  metadata: {
    name: n.name,
    uid: `uid-${n.name}`,
    resourceVersion: '4242',
    creationTimestamp: CREATED,
    labels: n.labels ?? {},
  },
  spec: { podCIDR: '10.244.0.0/24', providerID: `fake://${n.name}` },
  status: {
    ...(n.capacity ? { capacity: { ...n.capacity, pods: '110' } } : {}),
    ...(n.allocatable ? { allocatable: { ...n.allocatable, pods: '110' } } : {}),
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    nodeInfo: { kubeletVersion: 'v1.30.0', operatingSystem: 'linux', architecture: 'amd64' },
  },
});

const podObject = (p: FakePod) => ({
  metadata: { name: p.name, namespace: p.namespace, uid: `uid-${p.namespace}-${p.name}`, creationTimestamp: CREATED },
  spec: {
    ...(p.nodeName === undefined ? {} : { nodeName: p.nodeName }),
    containers: p.containers.map((c) => ({
      name: c.name,
      image: `registry.example/${c.name}:1`,
      resources: c.limits ? { limits: c.limits, requests: c.limits } : {},
    })),
  },
  status: { phase: p.nodeName === undefined ? 'Pending' : 'Running' },
});

const metricsList = (kind: string, items: unknown[]) => ({
  kind,
  apiVersion: 'metrics.k8s.io/v1beta1',
  metadata: {},
  items,
});

const nodeMetrics = (n: FakeNode) =>
  n.usage
    ? [
        {
          metadata: { name: n.name, creationTimestamp: n.usage.timestamp, labels: n.labels ?? {} },
          timestamp: n.usage.timestamp,
          window: n.usage.window ?? '20.035s',
          usage: { cpu: n.usage.cpu, memory: n.usage.memory },
        },
      ]
    : [];

const podMetrics = (p: FakePod) =>
  p.timestamp === undefined
    ? []
    : [
        {
          metadata: { name: p.name, namespace: p.namespace, creationTimestamp: p.timestamp, labels: {} },
          timestamp: p.timestamp,
          window: p.window ?? '18.512s',
          containers: p.containers.flatMap((c) => (c.usage ? [{ name: c.name, usage: c.usage }] : [])),
        },
      ];
