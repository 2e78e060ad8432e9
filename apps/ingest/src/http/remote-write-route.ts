import type { Express, Request, Response } from 'express';
import { decodeRemoteWrite, mapWriteRequest, type NodeIdOptions } from '../sources/prometheus';
import type { Ingestor } from '../writer/ingestor';
import { answerError, ready, type IngestApiOptions } from './ingest-routes';
import { readRawBody } from './read-raw-body';

export interface RemoteWriteOptions extends Pick<IngestApiOptions, 'retryAfterSeconds' | 'logger' | 'metrics'> {
  readonly maxBodyBytes: number;
  readonly mapping: NodeIdOptions;
}

/**
 * POST /api/v1/write, Prometheus remote write 1.0. Prometheus drops a batch answered with 4xx and retries one answered
 * with 5xx, so: undecodable requests (content type, snappy, protobuf) → 400 with the reason; Kafka unavailable → 503;
 * otherwise 204 once the samples are committed — including when some samples were invalid, because those are in the
 * DLQ with their reasons and resending them could never help.
 */
export function remoteWriteRoute(ingestor: () => Ingestor | undefined, options: RemoteWriteOptions): (app: Express) => void {
  return (app) => {
    app.post('/api/v1/write', async (req: Request, res: Response) => {
      const started = performance.now();
      try {
        const body = await readRawBody(req, options.maxBodyBytes, 'INGEST_REMOTE_WRITE_MAX_BODY_BYTES');
        const request = decodeRemoteWrite(body, req.headers);
        const mapped = mapWriteRequest(request, { ...options.mapping, source: 'remote_write' });
        if (mapped.stale > 0) options.metrics?.staleMarkers.inc({ source: 'remote_write' }, mapped.stale);
        await ready(ingestor).ingestMetrics(mapped.candidates, 'remote_write');
        res.status(204).end();
      } catch (err) {
        answerError(err, res, options);
      } finally {
        options.metrics?.httpDuration.observe({ route: '/api/v1/write', status: String(res.statusCode) }, (performance.now() - started) / 1000);
      }
    });
  };
}
