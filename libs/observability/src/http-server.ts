import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { Health } from './health';
import type { Logger } from './logger';

export interface HttpServerOptions {
  /** `0.0.0.0` in containers, `127.0.0.1` to keep a developer machine's service private. */
  readonly host: string;
  /** 0 asks the OS for a free port; the handle tells which one it got. */
  readonly port: number;
  readonly registry: Registry;
  readonly health: Health;
  readonly logger: Logger;
  /** Mounts the service's own routes (and their body parsers) after the built-in ones, which they cannot shadow. */
  readonly configure?: (app: Express) => void;
  /** How long `close()` lets in-flight requests finish before cutting their connections. Default 5000. */
  readonly closeGraceMs?: number;
}

export interface HttpServerHandle {
  readonly port: number;
  /** A URL a client on this machine can call, also when bound to all interfaces. */
  readonly url: string;
  /** Stops accepting connections, lets in-flight requests finish within the grace period, then drops the rest. */
  close(): Promise<void>;
}

export const DEFAULT_CLOSE_GRACE_MS = 5000;

/** Serves `/healthz` (alive), `/readyz` (checks), `/metrics` (the process registry) and whatever `configure` adds. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const { host, registry, health, logger, configure, closeGraceMs = DEFAULT_CLOSE_GRACE_MS } = options;
  const app = express();
  app.disable('x-powered-by');

  // Liveness means "the event loop answers": nothing here may wait on Kafka or any other dependency.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await health.checkReadiness();
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  configure?.(app);
  app.use(notFound);
  app.use(errorHandler(logger));

  const server = createServer(app);
  let closing: Promise<void> | undefined;
  // `server.close` waits for every open connection, and a keep-alive connection whose request finishes after close
  // began would otherwise stay open until its keep-alive timeout: close each one as soon as its response is out.
  server.on('request', (_req, res) => {
    res.once('finish', () => {
      if (closing) server.closeIdleConnections();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${reachableHost(host)}:${port}`;
  logger.info({ url }, 'http server listening');

  return {
    port,
    url,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        // A client still busy when the grace period ends is cut off: it must not hold up the shutdown.
        const cutOff = setTimeout(() => server.closeAllConnections(), closeGraceMs);
        server.close((err) => {
          clearTimeout(cutOff);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not found', path: req.path });
};

/**
 * Client errors that say so (body-parser's 400 for bad JSON, 413 for a body over the limit: `expose` is set) keep
 * their status and message. Everything else is a 500 whose details go to the log only: a stack trace tells a client
 * nothing it can act on and tells an attacker about the code.
 */
const errorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (err: unknown, req, res, _next) => {
    const client = asClientError(err);
    if (client) {
      logger.warn({ method: req.method, path: req.path, status: client.status, reason: client.message }, 'bad request');
      res.status(client.status).json({ error: client.message });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    // Half a response cannot be turned into an error response; cutting the connection tells the client it failed.
    if (res.headersSent) res.destroy();
    else res.status(500).json({ error: 'internal server error' });
  };

function asClientError(err: unknown): { status: number; message: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, expose, message } = err as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500 && expose === true && typeof message === 'string') {
    return { status, message };
  }
  return undefined;
}

function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
