import { readFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { fatalError, isMeterlineError, transientError } from '@meterline/stream';
import { httpStatusError, K8sErrorCode, requestFailureError } from './api-errors';

export interface K8sClientOptions {
  /** Base URL of the API server, e.g. https://10.96.0.1:443, or http://127.0.0.1:8001 behind `kubectl proxy`. */
  readonly server: string;
  /** A bearer token given as is. */
  readonly token?: string | undefined;
  /** A file holding the bearer token, read again for every request: projected service-account tokens rotate. */
  readonly tokenFile?: string | undefined;
  /** PEM file of the CA that signed the API server's certificate; without it Node's default CAs are trusted. */
  readonly caFile?: string | undefined;
  /** Deadline of one request, connection and whole body included. */
  readonly requestTimeoutMs?: number | undefined;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

interface ListEnvelope {
  readonly kind?: unknown;
  readonly items?: unknown;
  readonly metadata?: { readonly continue?: unknown };
}

/**
 * A minimal read-only client of the Kubernetes API: GET with a bearer token, JSON bodies, classified errors
 * (see api-errors.ts). Built on node:http(s) rather than fetch because a private CA needs an https.Agent.
 */
export class K8sApiClient {
  private readonly server: string;
  private readonly timeoutMs: number;
  private agent: Promise<http.Agent> | undefined;

  constructor(private readonly options: K8sClientOptions) {
    this.server = options.server.replace(/\/+$/, '');
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /**
   * Every item of a list, checked to be of `kind` (NodeList, NodeMetricsList, ...). With `pageSize` the list is read in
   * pages (`limit` + `continue`), which keeps each response of a large cluster's PodList small.
   */
  async list(path: string, kind: string, options: { signal?: AbortSignal; pageSize?: number } = {}): Promise<unknown[]> {
    const items: unknown[] = [];
    let next: string | undefined;
    do {
      const query = new URLSearchParams();
      if (options.pageSize !== undefined) query.set('limit', String(options.pageSize));
      if (next !== undefined) query.set('continue', next);
      const url = query.size > 0 ? `${path}?${query}` : path;
      const body = (await this.get(url, options.signal)) as ListEnvelope | null;
      if (body === null || typeof body !== 'object' || body.kind !== kind || !Array.isArray(body.items)) {
        const got = body !== null && typeof body === 'object' ? `kind ${JSON.stringify(body.kind)}` : typeof body;
        throw fatalError(
          K8sErrorCode.unexpectedResponse,
          `GET ${this.server}${url} answered ${got}, expected a ${kind} — is INGEST_K8S_API_URL a Kubernetes API server?`,
          { details: { path } },
        );
      }
      items.push(...(body.items as unknown[]));
      const token = body.metadata?.continue;
      next = typeof token === 'string' && token !== '' ? token : undefined;
    } while (next !== undefined);
    return items;
  }

  /** One GET, its JSON body parsed. An aborted `signal` rejects with the AbortError, unclassified. */
  async get(path: string, signal?: AbortSignal): Promise<unknown> {
    signal?.throwIfAborted();
    const url = `${this.server}${path}`;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'meterline-ingest' };
    const token = await this.token();
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const agent = await this.getAgent();
    const { status, contentType, body } = await this.send(url, headers, agent, signal);
    const pathOnly = path.split('?')[0] ?? path;
    if (status < 200 || status > 299) throw httpStatusError(status, 'GET', url, pathOnly, body);
    if (!/^application\/json\b/i.test(contentType)) {
      // A login page or a web server's index: the URL points somewhere else, and asking again will not change that.
      throw fatalError(
        K8sErrorCode.unexpectedResponse,
        `GET ${url} answered ${status} with ${contentType || 'no content type'}, not JSON — is INGEST_K8S_API_URL a ` +
          'Kubernetes API server?',
        { details: { path: pathOnly } },
      );
    }
    try {
      return JSON.parse(body);
    } catch {
      // JSON that does not parse is a response cut short, so it is retried.
      throw transientError(K8sErrorCode.badResponse, `GET ${url} answered ${status} with truncated or broken JSON`, {
        details: { path: pathOnly },
      });
    }
  }

  /** Closes idle keep-alive connections; the client may still be used afterwards. */
  close(): void {
    void this.agent?.then((a) => a.destroy());
    this.agent = undefined;
  }

  private async token(): Promise<string | undefined> {
    const { token, tokenFile } = this.options;
    if (tokenFile === undefined) return token;
    let text: string;
    try {
      text = await readFile(tokenFile, 'utf8');
    } catch (err) {
      throw fatalError(K8sErrorCode.tokenFile, `cannot read the token file ${tokenFile}: ${String(err)}`, { cause: err });
    }
    // Token files end with a newline when written by hand; a header value must not carry it.
    const trimmed = text.trim();
    if (trimmed === '') throw fatalError(K8sErrorCode.tokenFile, `the token file ${tokenFile} is empty`);
    return trimmed;
  }

  /** The CA is read once: unlike the token, a cluster CA changes only with a planned rotation and a restart. */
  private getAgent(): Promise<http.Agent> {
    if (this.agent === undefined) {
      this.agent = this.makeAgent();
      // A failed CA read is reported to this caller and tried again by the next one.
      this.agent.catch(() => (this.agent = undefined));
    }
    return this.agent;
  }

  private async makeAgent(): Promise<http.Agent> {
    // Keep-alive reuses one connection (and its TLS handshake) across polls.
    if (!this.server.startsWith('https:')) return new http.Agent({ keepAlive: true });
    const { caFile } = this.options;
    if (caFile === undefined) return new https.Agent({ keepAlive: true });
    try {
      return new https.Agent({ keepAlive: true, ca: await readFile(caFile, 'utf8') });
    } catch (err) {
      throw fatalError(K8sErrorCode.caFile, `cannot read the CA file ${caFile}: ${String(err)}`, { cause: err });
    }
  }

  private send(
    url: string,
    headers: Record<string, string>,
    agent: http.Agent,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; contentType: string; body: string }> {
    const request = url.startsWith('https:') ? https.request : http.request;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const fail = (err: unknown) =>
        settle(() => reject(isMeterlineError(err) || isAbort(err) ? err : requestFailureError(err, 'GET', url)));

      const req = request(url, { method: 'GET', headers, agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () =>
          settle(() =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers['content-type'] ?? '',
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          ),
        );
        res.on('close', () => {
          if (!res.complete) fail(Object.assign(new Error('connection closed mid-response'), { code: 'ECONNRESET' }));
        });
      });
      // The deadline covers the whole exchange; failing first keeps the destroy's own errors from masking the cause.
      const timer = setTimeout(() => {
        fail(transientError(K8sErrorCode.timeout, `GET ${url} took longer than ${this.timeoutMs} ms`));
        req.destroy();
      }, this.timeoutMs);
      req.on('error', fail);
      req.end();
    });
  }
}

/** By name, not instanceof: errors made inside Node's own modules come from another realm under Jest. */
export const isAbort = (err: unknown): boolean =>
  err !== null && typeof err === 'object' && 'name' in err && err.name === 'AbortError';
