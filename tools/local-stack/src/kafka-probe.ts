import { connect } from 'node:net';

/**
 * A dependency-free Kafka readiness probe: one Metadata request (API key 3, version 4) over a plain TCP connection.
 * A log line saying "started" only proves the JVM got that far; a Metadata answer listing a broker proves the broker
 * accepts client connections and has registered with the controller, which is what producers and consumers need.
 *
 * Version 4 is the oldest one Kafka 4.x still accepts (KIP-896) and the newest without "flexible" (tagged-field)
 * encoding, so the byte layout stays simple. All integers are big-endian; strings are an int16 length plus UTF-8 bytes,
 * with length -1 for null; arrays are an int32 count plus the elements.
 */

export interface KafkaBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export interface KafkaMetadata {
  readonly clusterId: string | null;
  readonly controllerId: number;
  readonly brokers: readonly KafkaBroker[];
}

const METADATA_API_KEY = 3;
const METADATA_VERSION = 4;

/**
 * Request: int32 size, then header v1 (int16 api_key, int16 api_version, int32 correlation_id, string client_id), then
 * body v4 (topics: an empty array asks for no topics, where null would ask for all; int8 allow_auto_topic_creation).
 */
export function encodeMetadataRequest(correlationId: number, clientId = 'meterline-local-stack'): Buffer {
  const client = Buffer.from(clientId, 'utf8');
  const size = 2 + 2 + 4 + 2 + client.length + 4 + 1;
  const buf = Buffer.alloc(4 + size);
  let o = buf.writeInt32BE(size, 0);
  o = buf.writeInt16BE(METADATA_API_KEY, o);
  o = buf.writeInt16BE(METADATA_VERSION, o);
  o = buf.writeInt32BE(correlationId, o);
  o = buf.writeInt16BE(client.length, o);
  o += client.copy(buf, o);
  o = buf.writeInt32BE(0, o);
  buf.writeInt8(0, o);
  return buf;
}

/**
 * Response (without the int32 size prefix): header v0 (int32 correlation_id), then body v4: int32 throttle_time_ms;
 * brokers [int32 node_id, string host, int32 port, nullable string rack]; nullable string cluster_id;
 * int32 controller_id; topics (empty here, not read).
 */
export function decodeMetadataResponse(frame: Buffer, expectedCorrelationId: number): KafkaMetadata {
  const r = new Reader(frame);
  const correlationId = r.int32();
  if (correlationId !== expectedCorrelationId) {
    throw new Error(`Metadata response has correlation id ${correlationId}, expected ${expectedCorrelationId}`);
  }
  r.int32(); // throttle_time_ms
  const brokerCount = r.int32();
  const brokers: KafkaBroker[] = [];
  for (let i = 0; i < brokerCount; i++) {
    const nodeId = r.int32();
    const host = r.string() ?? '';
    const port = r.int32();
    r.string(); // rack
    brokers.push({ nodeId, host, port });
  }
  const clusterId = r.string();
  const controllerId = r.int32();
  return { clusterId, controllerId, brokers };
}

class Reader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  string(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    this.need(length);
    const v = this.buf.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return v;
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.buf.length) {
      throw new Error(`truncated Metadata response: needed ${bytes} bytes at offset ${this.offset} of ${this.buf.length}`);
    }
  }
}

/** Asks the broker at host:port for its metadata; rejects when it cannot connect or answer within `timeoutMs`. */
export function probeKafka(host: string, port: number, timeoutMs = 2_000): Promise<KafkaMetadata> {
  const correlationId = Math.floor(Math.random() * 0x7fffffff);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const fail = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no Metadata answer from ${host}:${port} within ${timeoutMs} ms`)));
    socket.on('error', fail);
    socket.on('connect', () => socket.write(encodeMetadataRequest(correlationId)));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      socket.destroy();
      try {
        resolve(decodeMetadataResponse(received.subarray(4, 4 + size), correlationId));
      } catch (err) {
        reject(err);
      }
    });
    socket.on('end', () => fail(new Error(`${host}:${port} closed the connection without a Metadata answer`)));
  });
}
