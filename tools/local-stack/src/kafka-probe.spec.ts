import { createServer, type AddressInfo, type Server } from 'node:net';
import { decodeMetadataResponse, encodeMetadataRequest, probeKafka } from './kafka-probe';

/** A Metadata v4 response body as a broker writes it (see kafka-probe.ts for the layout). */
function metadataResponse(correlationId: number, brokers: { nodeId: number; host: string; port: number }[]): Buffer {
  const parts: Buffer[] = [];
  const int32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    parts.push(b);
  };
  const str = (s: string | null) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(s === null ? -1 : Buffer.byteLength(s));
    parts.push(b);
    if (s !== null) parts.push(Buffer.from(s));
  };
  int32(correlationId);
  int32(0); // throttle
  int32(brokers.length);
  for (const b of brokers) {
    int32(b.nodeId);
    str(b.host);
    int32(b.port);
    str(null); // rack
  }
  str('toKypzhraX8ZgQBayM5NUg');
  int32(1); // controller
  int32(0); // topics
  const body = Buffer.concat(parts);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

describe('Metadata request and response', () => {
  it('encodes a Metadata v4 request for no topics', () => {
    const req = encodeMetadataRequest(42, 'probe');
    expect(req.readInt32BE(0)).toBe(req.length - 4);
    expect(req.readInt16BE(4)).toBe(3); // api key: Metadata
    expect(req.readInt16BE(6)).toBe(4); // api version
    expect(req.readInt32BE(8)).toBe(42);
    expect(req.readInt16BE(12)).toBe(5);
    expect(req.toString('utf8', 14, 19)).toBe('probe');
    expect(req.readInt32BE(19)).toBe(0); // empty topic array, not null (= all topics)
    expect(req.readInt8(23)).toBe(0); // no auto-creation
    expect(req.length).toBe(24);
  });

  it('decodes brokers, cluster id and controller', () => {
    const frame = metadataResponse(7, [{ nodeId: 1, host: '127.0.0.1', port: 39092 }]).subarray(4);
    expect(decodeMetadataResponse(frame, 7)).toEqual({
      clusterId: 'toKypzhraX8ZgQBayM5NUg',
      controllerId: 1,
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 39092 }],
    });
  });

  it('rejects a truncated response and one for another request', () => {
    const frame = metadataResponse(7, [{ nodeId: 1, host: '127.0.0.1', port: 39092 }]).subarray(4);
    expect(() => decodeMetadataResponse(frame.subarray(0, 20), 7)).toThrow(/truncated/);
    expect(() => decodeMetadataResponse(frame, 8)).toThrow(/correlation id 7, expected 8/);
  });
});

describe('probeKafka', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A fake broker that answers each Metadata request, in chunks to exercise reassembly. */
  async function fakeBroker(answer: (correlationId: number) => Buffer | undefined): Promise<number> {
    server = createServer((socket) => {
      socket.once('data', (req) => {
        const reply = answer(req.readInt32BE(8));
        if (!reply) return socket.end();
        socket.write(reply.subarray(0, 5));
        setTimeout(() => socket.write(reply.subarray(5)), 10);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return (server?.address() as AddressInfo).port;
  }

  it('returns what the broker answers', async () => {
    const port = await fakeBroker((id) => metadataResponse(id, [{ nodeId: 1, host: '127.0.0.1', port: 39092 }]));
    await expect(probeKafka('127.0.0.1', port)).resolves.toMatchObject({ brokers: [{ nodeId: 1, port: 39092 }] });
  });

  it('rejects when the connection closes without an answer', async () => {
    const port = await fakeBroker(() => undefined);
    await expect(probeKafka('127.0.0.1', port)).rejects.toThrow(/closed the connection/);
  });

  it('rejects when nothing listens', async () => {
    const port = await fakeBroker(() => undefined);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    await expect(probeKafka('127.0.0.1', port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
