import { poisonError } from '@meterline/stream';
import { checkSnappyBlock, decompressSnappyBlock, snappyLength } from './snappy-block';
import { decodeWriteRequest, REMOTE_WRITE_BAD_PROTOBUF, type WriteRequest } from './write-request';

/**
 * Why a remote-write request was refused. All are poison: the same bytes will never decode, so the route answers 4xx
 * and Prometheus drops the batch instead of retrying it forever (it retries 5xx, which is for our own trouble).
 */
export const RemoteWriteErrorCode = {
  contentEncoding: 'REMOTE_WRITE_CONTENT_ENCODING',
  contentType: 'REMOTE_WRITE_CONTENT_TYPE',
  version: 'REMOTE_WRITE_VERSION',
  badSnappy: 'REMOTE_WRITE_BAD_SNAPPY',
  tooLarge: 'REMOTE_WRITE_TOO_LARGE',
  badProtobuf: REMOTE_WRITE_BAD_PROTOBUF,
} as const;

/** Node's `IncomingMessage.headers` fits, as does any record of header names (in any case) to values. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface RemoteWriteOptions {
  /**
   * Largest uncompressed body accepted. The snappy preamble announces the size before anything is allocated, so a
   * small body claiming gigabytes is refused up front. Prometheus sends 500-2,000 samples per request, well under 1 MiB.
   */
  readonly maxDecodedBytes?: number;
}

export const DEFAULT_MAX_DECODED_BYTES = 32 * 1024 * 1024;

/** The framed format's stream identifier chunk: type 0xff, length 6, "sNaPpY". */
const SNAPPY_FRAMED_MAGIC = [0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59];

/** Decodes the body of `POST /api/v1/write` (remote write 1.0), or throws a poison error the route turns into a 400. */
export function decodeRemoteWrite(
  body: Uint8Array,
  headers: RequestHeaders,
  options: RemoteWriteOptions = {},
): WriteRequest {
  checkRemoteWriteHeaders(headers);
  return decodeWriteRequest(decompress(body, options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES));
}

/** The three headers remote write 1.0 defines; each wrong one names what the sender should change. */
export function checkRemoteWriteHeaders(headers: RequestHeaders): void {
  const encoding = header(headers, 'content-encoding');
  if (encoding?.trim().toLowerCase() !== 'snappy') {
    throw poisonError(
      RemoteWriteErrorCode.contentEncoding,
      `Content-Encoding must be "snappy" (remote write 1.0), got ${quote(encoding)}`,
      { details: { header: 'content-encoding' } },
    );
  }

  const contentType = header(headers, 'content-type');
  const [mediaType = '', ...params] = (contentType ?? '').split(';').map((p) => p.trim());
  // Remote write 2.0 uses the same media type with `proto=io.prometheus.write.v2.Request`; 1.0 may name its message.
  const proto = params.find((p) => p.toLowerCase().startsWith('proto='))?.slice('proto='.length);
  const isProtobuf = mediaType.toLowerCase() === 'application/x-protobuf';
  if (!isProtobuf || (proto !== undefined && proto !== 'prometheus.WriteRequest')) {
    const hint =
      proto === undefined ? '' : '; remote write 2.0 is not supported, set protobuf_message: prometheus.WriteRequest';
    throw poisonError(
      RemoteWriteErrorCode.contentType,
      `Content-Type must be "application/x-protobuf" (remote write 1.0), got ${quote(contentType)}${hint}`,
      { details: { header: 'content-type' } },
    );
  }

  // Senders must send it, but the body's format is already fixed by the two headers above; refusing a request only
  // for lacking it would make Prometheus drop data it sent correctly. A different version is a different protocol.
  const version = header(headers, 'x-prometheus-remote-write-version');
  if (version !== undefined && !/^0\.1(\.\d+)?$/.test(version.trim())) {
    throw poisonError(
      RemoteWriteErrorCode.version,
      `X-Prometheus-Remote-Write-Version ${quote(version)} is not supported; this endpoint speaks remote write 0.1.x (1.0)`,
      { details: { header: 'x-prometheus-remote-write-version' } },
    );
  }
}

function decompress(body: Uint8Array, maxDecodedBytes: number): Uint8Array {
  if (SNAPPY_FRAMED_MAGIC.every((byte, i) => body[i] === byte)) {
    throw poisonError(
      RemoteWriteErrorCode.badSnappy,
      'body uses the snappy framed (stream) format; remote write sends the snappy block format',
    );
  }
  const announced = snappyLength(body);
  if (announced.ok && announced.length > maxDecodedBytes) {
    throw poisonError(
      RemoteWriteErrorCode.tooLarge,
      `body decompresses to ${announced.length} bytes, more than the limit of ${maxDecodedBytes}; ` +
        'lower max_samples_per_send',
      { details: { limit: maxDecodedBytes, length: announced.length } },
    );
  }
  const check = checkSnappyBlock(body);
  if (!check.ok) {
    throw poisonError(RemoteWriteErrorCode.badSnappy, `body is not snappy block-compressed: ${check.reason}`);
  }
  return decompressSnappyBlock(body);
}

function header(headers: RequestHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === 'string' ? value : value?.join(', ');
  }
  return undefined;
}

const quote = (value: string | undefined) => (value === undefined ? 'nothing' : JSON.stringify(value));
