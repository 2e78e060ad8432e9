import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prometheusFile } from './shared-data';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * A real HTTP server on 127.0.0.1 serving the captured expositions like exporters do, plus the ways targets fail:
 *   /node-exporter      node_exporter-1.5.0-scrape.prom.txt as Prometheus text
 *   /openmetrics        prometheus_textparse_alltypes.5mfs.om.txt as OpenMetrics
 *   /openmetrics-as-text  the same body, labelled text/plain
 *   /cadvisor           cadvisor_prometheus_metrics.txt (explicit timestamps) as Prometheus text
 *   /error              500
 *   /hang               never answers
 */
export interface ExpositionServer {
  readonly url: (path: string) => string;
  /** Every request received, in order; `path` with its query. */
  readonly requests: { readonly path: string; readonly at: number; readonly headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startExpositionServer(): Promise<ExpositionServer> {
  const files: Record<string, [file: string, contentType: string]> = {
    '/node-exporter': ['node_exporter-1.5.0-scrape.prom.txt', TEXT],
    '/openmetrics': ['prometheus_textparse_alltypes.5mfs.om.txt', OPENMETRICS],
    '/openmetrics-as-text': ['prometheus_textparse_alltypes.5mfs.om.txt', TEXT],
    '/cadvisor': ['cadvisor_prometheus_metrics.txt', TEXT],
  };
  const requests: ExpositionServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    // The query is ignored when serving, so that a test can tell its own requests apart by it.
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? url;
    requests.push({ path: url, at: performance.now(), headers: req.headers });
    const served = files[path];
    if (served) {
      res.writeHead(200, { 'content-type': served[1] }).end(prometheusFile(served[0]));
    } else if (path === '/error') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('collector failed');
    } else if (path !== '/hang') {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
