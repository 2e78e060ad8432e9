import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '@meterline/observability';
import { classify, transientError } from '@meterline/stream';
import type { Candidate, MetadataFields, MetricFields } from '../candidate';
import type { IngestMetrics } from '../writer/ingest-metrics';
import type { IngestResult, Ingestor } from '../writer/ingestor';
import { BodyError, parseBody } from './parse-body';

export interface IngestApiOptions {
  readonly maxBodyBytes: number;
  readonly maxRecords: number;
  /** What a 503 tells the client to wait before retrying (Kafka unavailable). */
  readonly retryAfterSeconds: number;
  readonly logger: Logger;
  readonly metrics?: IngestMetrics;
}

/**
 * POST /v1/metrics and /v1/metadata: a JSON array or NDJSON. The answer comes after Kafka committed the records:
 * 200 all accepted, 207 some rejected (each with its index and reason), 422 none accepted, 413 over a limit (named),
 * 503 + Retry-After when Kafka is unavailable (then nothing of the request was written; retrying is safe).
 */
export function ingestRoutes(ingestor: () => Ingestor | undefined, options: IngestApiOptions): (app: Express) => void {
  const body = express.raw({ type: () => true, limit: options.maxBodyBytes });
  const handle = <F>(route: string, ingest: (candidates: Candidate<F>[]) => Promise<IngestResult>) =>
    async (req: Request, res: Response) => {
      const started = performance.now();
      const requestId = randomUUID();
      res.setHeader('x-request-id', requestId);
      try {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const result = await ingest(parseBody<F>(raw, req.headers['content-type'], requestId, options.maxRecords));
        const status = result.rejected.length === 0 ? 200 : result.accepted === 0 ? 422 : 207;
        res.status(status).json({ requestId, ...result });
      } catch (err) {
        answerError(err, res, options);
      } finally {
        options.metrics?.httpDuration.observe({ route, status: String(res.statusCode) }, (performance.now() - started) / 1000);
      }
    };

  return (app) => {
    app.post('/v1/metrics', body, handle<MetricFields>('/v1/metrics', (c) => ready(ingestor).ingestMetrics(c, 'http')));
    app.post('/v1/metadata', body, handle<MetadataFields>('/v1/metadata', (c) => ready(ingestor).ingestMetadata(c, 'http')));
    // The body parser's own errors, turned into answers that name our limit.
    app.use(['/v1/metrics', '/v1/metadata'], (err: unknown, _req: Request, res: Response, next: NextFunction) => {
      if ((err as { type?: string }).type === 'entity.too.large') {
        res.status(413).json({ error: `request body exceeds the limit of ${options.maxBodyBytes} bytes (INGEST_HTTP_MAX_BODY_BYTES)` });
        return;
      }
      next(err);
    });
  };
}

/** Routes are mounted before Kafka is connected (HTTP comes up first); until then they answer 503. */
export function ready(ingestor: () => Ingestor | undefined): Ingestor {
  const current = ingestor();
  if (!current) throw transientError('STARTING', 'ingest is still connecting to Kafka');
  return current;
}

export function answerError(err: unknown, res: Response, options: Pick<IngestApiOptions, 'retryAfterSeconds' | 'logger'>): void {
  if (err instanceof BodyError) {
    res.status(err.status).json({ error: err.message });
    return;
  }
  const error = classify(err);
  if (error.kind === 'poison') {
    res.status(400).json({ error: error.message, code: error.code });
  } else if (error.retriable) {
    res.setHeader('Retry-After', String(options.retryAfterSeconds));
    res.status(503).json({ error: `Kafka is unavailable, nothing of this request was written; retry later (${error.message})` });
  } else {
    options.logger.error({ err: error }, 'ingest request failed');
    res.status(500).json({ error: 'internal error' });
  }
}
