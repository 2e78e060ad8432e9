/**
 * Builds protobuf bytes field by field for specs, so that a test can say exactly which fields a message carries
 * (including ones the decoder must skip). Written from the wire-format description, not from the decoder.
 */
export type Bytes = readonly number[];

export function varint(value: number | bigint): Bytes {
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return out;
}

export const key = (field: number, wireType: number): Bytes => varint(field * 8 + wireType);

export const varintField = (field: number, value: number | bigint): Bytes => [...key(field, 0), ...varint(value)];

export function doubleField(field: number, value: number): Bytes {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return [...key(field, 1), ...new Uint8Array(view.buffer)];
}

/** An I64 field with these exact bits (little-endian on the wire), for NaN payloads. */
export function bitsField(field: number, bits: bigint): Bytes {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits, true);
  return [...key(field, 1), ...new Uint8Array(view.buffer)];
}

export const fixed32Field = (field: number, value: number): Bytes => [
  ...key(field, 5),
  value & 0xff,
  (value >>> 8) & 0xff,
  (value >>> 16) & 0xff,
  (value >>> 24) & 0xff,
];

export const bytesField = (field: number, bytes: Bytes): Bytes => [...key(field, 2), ...varint(bytes.length), ...bytes];

export const stringField = (field: number, text: string): Bytes => bytesField(field, [...Buffer.from(text, 'utf8')]);

export const message = (...fields: Bytes[]): Bytes => fields.flat();

/* The remote-write 1.0 messages (prompb/types.proto), for readable specs. */
export const label = (name: string, value: string): Bytes => bytesField(1, message(stringField(1, name), stringField(2, value)));

export const sample = (value: number, timestampMs: number | bigint): Bytes =>
  bytesField(2, message(doubleField(1, value), varintField(2, timestampMs)));

export const timeSeries = (...parts: Bytes[]): Bytes => bytesField(1, message(...parts));

export const toBytes = (bytes: Bytes): Uint8Array => Uint8Array.from(bytes);
