/**
 * A cursor over protobuf wire-format bytes (https://protobuf.dev/programming-guides/encoding/). A message is a sequence
 * of fields; each starts with a varint key `field_number << 3 | wire_type`, and the wire type alone says how long the
 * value is. That is what lets a decoder skip fields it does not know (exemplars, native histograms, fields added in a
 * later version) without understanding them:
 *
 *   0 VARINT  base-128, least significant group first, high bit set on every byte but the last; at most 10 bytes
 *   1 I64     8 bytes little-endian (double, fixed64, sfixed64)
 *   2 LEN     a varint byte count, then the bytes (string, bytes, embedded message, packed repeated scalars)
 *   3 SGROUP  proto2 group start: fields up to the matching EGROUP key (4) with the same field number
 *   5 I32     4 bytes little-endian (float, fixed32, sfixed32)
 *
 * Field number 0 and wire types 6 and 7 do not exist; meeting one means the bytes are not protobuf (or are padding).
 */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
  constructor(
    message: string,
    /** Byte offset into the outermost message where decoding stopped. */
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

export const WireType = { varint: 0, i64: 1, len: 2, startGroup: 3, endGroup: 4, i32: 5 } as const;

// Prometheus label names and values are UTF-8; a sender that writes anything else has a bug worth a 400.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Groups are long deprecated; a deep nest of them is an attack on the stack, not a message. */
const MAX_GROUP_DEPTH = 32;

export interface FieldKey {
  readonly field: number;
  readonly wireType: number;
}

export class ProtobufReader {
  private pos: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
    // Shared with embedded-message readers: one per label and sample would cost more than the decoding itself.
    private readonly view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  hasMore(): boolean {
    return this.pos < this.end;
  }

  key(): FieldKey {
    const at = this.pos;
    const key = this.varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new WireFormatError('field number 0', at);
    if (wireType > WireType.i32) throw new WireFormatError(`wire type ${wireType} does not exist`, at);
    return { field, wireType };
  }

  /** An unsigned varint up to 2^53 - 1: keys, lengths and enums. Larger values are int64 fields; use `int64`. */
  varint(): number {
    const at = this.pos;
    let result = 0;
    // Multiplying rather than shifting: JavaScript's shifts are 32-bit, varints here reach 53.
    for (let scale = 1; scale < 2 ** 56; scale *= 128) {
      const byte = this.byte(at);
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) throw new WireFormatError('varint larger than 2^53', at);
        return result;
      }
    }
    throw new WireFormatError('varint larger than 2^53', at);
  }

  /** A two's-complement int64 varint (negative values take all 10 bytes), exact as a bigint. */
  int64(): bigint {
    const at = this.pos;
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byte(at);
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asIntN(64, result);
    }
    throw new WireFormatError('varint longer than 10 bytes', at);
  }

  /** The raw 64 bits of an I64 field, for callers that care about the bit pattern (NaN payloads). */
  fixed64(): bigint {
    this.need(8, this.pos);
    const bits = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return bits;
  }

  double(): number {
    this.need(8, this.pos);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** The bytes of a LEN field, as a view (no copy). */
  lengthDelimited(): Uint8Array {
    const at = this.pos;
    const length = this.varint();
    this.need(length, at);
    const view = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }

  /** A reader over an embedded message; offsets in its errors stay relative to the outermost message. */
  message(): ProtobufReader {
    const at = this.pos;
    const length = this.varint();
    this.need(length, at);
    const inner = new ProtobufReader(this.bytes, this.pos, this.pos + length, this.view);
    this.pos += length;
    return inner;
  }

  /** A proto3 string, which must be UTF-8. */
  string(): string {
    const at = this.pos;
    const bytes = this.lengthDelimited();
    try {
      return utf8.decode(bytes);
    } catch {
      throw new WireFormatError('string is not valid UTF-8', at);
    }
  }

  /** Moves past the value of a field whose key was just read. */
  skip(key: FieldKey, depth = 0): void {
    const at = this.pos;
    switch (key.wireType) {
      case WireType.varint:
        this.int64();
        return;
      case WireType.i64:
        this.need(8, at);
        this.pos += 8;
        return;
      case WireType.len:
        this.lengthDelimited();
        return;
      case WireType.i32:
        this.need(4, at);
        this.pos += 4;
        return;
      case WireType.startGroup:
        if (depth >= MAX_GROUP_DEPTH) throw new WireFormatError(`groups nested deeper than ${MAX_GROUP_DEPTH}`, at);
        for (;;) {
          if (!this.hasMore()) throw new WireFormatError(`group ${key.field} has no end`, at);
          const inner = this.key();
          if (inner.wireType === WireType.endGroup) {
            if (inner.field !== key.field) throw new WireFormatError(`group ${key.field} ended as ${inner.field}`, at);
            return;
          }
          this.skip(inner, depth + 1);
        }
      default:
        throw new WireFormatError(`end of group ${key.field} without a start`, at);
    }
  }

  /** Throws if the field just read had another wire type than the schema says. */
  expect(key: FieldKey, wireType: number, what: string): void {
    if (key.wireType !== wireType) {
      const problem = `${what} (field ${key.field}) has wire type ${key.wireType}, expected ${wireType}`;
      throw new WireFormatError(problem, this.pos);
    }
  }

  private byte(fieldStart: number): number {
    const byte = this.pos < this.end ? this.bytes[this.pos] : undefined;
    if (byte === undefined) throw new WireFormatError('truncated varint', fieldStart);
    this.pos += 1;
    return byte;
  }

  private need(length: number, fieldStart: number): void {
    if (length > this.end - this.pos) {
      throw new WireFormatError(`field needs ${length} bytes but only ${this.end - this.pos} remain`, fieldStart);
    }
  }
}
