import type { Request } from 'express';
import { BodyError } from './parse-body';

/**
 * The request body as bytes, at most `limit` of them. Unlike express.raw, this leaves Content-Encoding alone:
 * remote write declares `snappy`, which the body parser would refuse with 415 instead of handing it over.
 */
export async function readRawBody(req: Request, limit: number, limitName: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new BodyError(413, `request body of ${declared} bytes exceeds the limit of ${limit} bytes (${limitName})`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyError(413, `request body exceeds the limit of ${limit} bytes (${limitName})`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
