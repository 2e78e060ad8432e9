import { frame, unframe } from './wire-format';

describe('Confluent wire format', () => {
  it('writes magic byte 0, the schema id big-endian, then the body', () => {
    const framed = frame(0x01020304, Buffer.from([0xaa, 0xbb]));
    expect([...framed]).toEqual([0x00, 0x01, 0x02, 0x03, 0x04, 0xaa, 0xbb]);
  });

  it('reads back the schema id and body it wrote', () => {
    const { schemaId, body } = unframe(frame(4_000_000_000, Buffer.from('avro')));
    expect(schemaId).toBe(4_000_000_000);
    expect(body.toString()).toBe('avro');
  });

  it('rejects a record whose first byte is not the magic byte, as poison', () => {
    expect(() => unframe(Buffer.from([1, 0, 0, 0, 1, 2]))).toThrow(
      expect.objectContaining({ code: 'DECODE_BAD_MAGIC', kind: 'poison' }),
    );
  });

  it('rejects a record shorter than the header, as poison', () => {
    expect(() => unframe(Buffer.from([0, 0, 1]))).toThrow(expect.objectContaining({ code: 'DECODE_TOO_SHORT' }));
  });
});
