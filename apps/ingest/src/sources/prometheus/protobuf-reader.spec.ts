import { ProtobufReader, WireFormatError } from './protobuf-reader';

const reader = (...bytes: number[]) => new ProtobufReader(Uint8Array.from(bytes));

function wireError(read: () => unknown): WireFormatError {
  try {
    read();
  } catch (err) {
    if (err instanceof WireFormatError) return err;
    throw err;
  }
  throw new Error('expected a WireFormatError');
}

describe('ProtobufReader', () => {
  it('reads the key and varint of the encoding guide example 08 96 01 as field 1 = 150', () => {
    const r = reader(0x08, 0x96, 0x01);
    expect(r.key()).toEqual({ field: 1, wireType: 0 });
    expect(r.varint()).toBe(150);
    expect(r.hasMore()).toBe(false);
  });

  it('reads a length-delimited string, 12 07 "testing"', () => {
    const r = reader(0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67);
    expect(r.key()).toEqual({ field: 2, wireType: 2 });
    expect(r.string()).toBe('testing');
  });

  it('reads a millisecond timestamp as an exact int64 (bytes from the captured remote-write request)', () => {
    expect(reader(0xef, 0xff, 0xb3, 0xee, 0x9f, 0x34).int64()).toBe(1795259432943n);
  });

  it('reads a negative int64 from its ten-byte two\'s complement', () => {
    expect(reader(0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).int64()).toBe(-2n);
  });

  it('reads int64 values beyond 2^53 without losing digits', () => {
    // 2^63 - 1 = 0x7fff_ffff_ffff_ffff: nine 7-bit groups of ones, then 0x7f.
    expect(reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).int64()).toBe(9223372036854775807n);
  });

  it('reads a little-endian double and its raw bits', () => {
    expect(reader(0, 0, 0, 0, 0, 0, 0xf0, 0x3f).double()).toBe(1);
    expect(reader(0, 0, 0, 0, 0, 0, 0xf0, 0x3f).fixed64()).toBe(0x3ff0000000000000n);
  });

  it('skips a field of every wire type and lands on the next field', () => {
    const r = reader(
      0x18, 0xac, 0x02, // field 3 varint 300
      0x21, 1, 2, 3, 4, 5, 6, 7, 8, // field 4 I64
      0x2a, 0x02, 0xaa, 0xbb, // field 5 LEN of 2
      0x35, 1, 2, 3, 4, // field 6 I32
      0x3b, 0x08, 0x01, 0x12, 0x00, 0x3c, // field 7 group holding a varint and an empty LEN
      0x08, 0x2a, // field 1 varint 42
    );
    for (let i = 0; i < 5; i++) r.skip(r.key());
    expect(r.key()).toEqual({ field: 1, wireType: 0 });
    expect(r.varint()).toBe(42);
  });

  it('gives a sub-reader bounded by the embedded message', () => {
    const r = reader(0x0a, 0x02, 0x08, 0x05, 0x10, 0x06);
    r.key();
    const inner = r.message();
    inner.key();
    expect(inner.varint()).toBe(5);
    expect(inner.hasMore()).toBe(false);
    expect(r.key()).toEqual({ field: 2, wireType: 0 });
  });

  it.each([
    ['a varint cut short', [0x08, 0x96], (r: ProtobufReader) => (r.key(), r.varint()), 'truncated varint at byte 1'],
    ['field number 0 (zero padding)', [0x00], (r: ProtobufReader) => r.key(), 'field number 0 at byte 0'],
    ['wire type 7', [0x0f], (r: ProtobufReader) => r.key(), 'wire type 7 does not exist at byte 0'],
    ['a length past the end', [0x12, 0x05, 0x61], (r: ProtobufReader) => r.skip(r.key()), 'field needs 5 bytes but only 1 remain at byte 1'],
    ['a group closed with another number', [0x1b, 0x24], (r: ProtobufReader) => r.skip(r.key()), 'group 3 ended as 4 at byte 1'],
    ['a group never closed', [0x1b, 0x08, 0x01], (r: ProtobufReader) => r.skip(r.key()), 'group 3 has no end at byte 1'],
    ['an end of group without a start', [0x1c], (r: ProtobufReader) => r.skip(r.key()), 'end of group 3 without a start at byte 1'],
    ['a string that is not UTF-8', [0x12, 0x01, 0xff], (r: ProtobufReader) => (r.key(), r.string()), 'string is not valid UTF-8 at byte 1'],
    ['a varint of 11 bytes', [...Array(10).fill(0xff), 0x01], (r: ProtobufReader) => r.int64(), 'varint longer than 10 bytes at byte 0'],
  ])('refuses %s, saying where', (_what, bytes, read, message) => {
    const error = wireError(() => read(reader(...bytes)));
    expect(error.message).toBe(message);
  });
});
