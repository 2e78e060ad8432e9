/**
 * A minimal Parquet writer for tests: REQUIRED flat columns, PLAIN encoding, no compression, one data page per
 * column chunk, as many row groups as asked. It exists because the seed file has a single row group and no writer
 * package is installed; it follows parquet-format's parquet.thrift field ids in Thrift's compact protocol.
 */

export type ParquetColumn =
  | { readonly name: string; readonly type: 'string'; readonly values: readonly string[] }
  | { readonly name: string; readonly type: 'int64'; readonly values: readonly bigint[] }
  | { readonly name: string; readonly type: 'double'; readonly values: readonly number[] };

export interface ParquetFixture {
  readonly columns: readonly ParquetColumn[];
  /** Rows per row group; the last group takes what is left. */
  readonly rowGroupSize: number;
  /** Row groups (0-based) whose pages are overwritten with garbage, to show where reading stops. */
  readonly corruptGroups?: readonly number[];
}

// parquet.thrift enums
const TYPE = { int64: 2, double: 5, string: 6 } as const;
const REQUIRED = 0;
const UTF8 = 0;
const PLAIN = 0;
const RLE = 3;
const UNCOMPRESSED = 0;
const DATA_PAGE = 0;

// Thrift compact protocol type ids
const T_I32 = 5;
const T_I64 = 6;
const T_BINARY = 8;
const T_LIST = 9;
const T_STRUCT = 12;

type Value =
  | { readonly t: 'i32'; readonly v: number }
  | { readonly t: 'i64'; readonly v: number }
  | { readonly t: 'bin'; readonly v: string }
  | { readonly t: 'list'; readonly elem: 'i32' | 'bin' | 'struct'; readonly v: readonly Value[] }
  | { readonly t: 'struct'; readonly v: readonly Field[] };
type Field = readonly [id: number, value: Value];

const i32 = (v: number): Value => ({ t: 'i32', v });
const i64 = (v: number): Value => ({ t: 'i64', v });
const bin = (v: string): Value => ({ t: 'bin', v });
const struct = (...v: Field[]): Value => ({ t: 'struct', v });
const list = (elem: 'i32' | 'bin' | 'struct', v: readonly Value[]): Value => ({ t: 'list', elem, v });

const TYPE_ID = { i32: T_I32, i64: T_I64, bin: T_BINARY, list: T_LIST, struct: T_STRUCT } as const;

class Compact {
  readonly bytes: number[] = [];

  varint(n: bigint): void {
    let v = n;
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  zigzag(n: number): void {
    const v = BigInt(n);
    this.varint(v >= 0n ? v << 1n : (-v << 1n) - 1n);
  }

  value(value: Value): void {
    switch (value.t) {
      case 'i32':
      case 'i64':
        return this.zigzag(value.v);
      case 'bin': {
        const b = Buffer.from(value.v, 'utf8');
        this.varint(BigInt(b.length));
        this.bytes.push(...b);
        return;
      }
      case 'list': {
        const n = value.v.length;
        const elem = TYPE_ID[value.elem];
        if (n < 15) this.bytes.push((n << 4) | elem);
        else {
          this.bytes.push(0xf0 | elem);
          this.varint(BigInt(n));
        }
        for (const v of value.v) this.value(v);
        return;
      }
      case 'struct': {
        let last = 0;
        for (const [id, v] of value.v) {
          this.bytes.push(((id - last) << 4) | TYPE_ID[v.t]);
          last = id;
          this.value(v);
        }
        this.bytes.push(0);
      }
    }
  }
}

const thrift = (value: Value): Buffer => {
  const c = new Compact();
  c.value(value);
  return Buffer.from(c.bytes);
};

function plainValues(column: ParquetColumn, start: number, end: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = start; i < end; i++) {
    if (column.type === 'string') {
      const b = Buffer.from(column.values[i] as string, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length);
      parts.push(len, b);
    } else if (column.type === 'int64') {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(column.values[i] as bigint);
      parts.push(b);
    } else {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(column.values[i] as number);
      parts.push(b);
    }
  }
  return Buffer.concat(parts);
}

export function writeParquet(fixture: ParquetFixture): Buffer {
  const rows = fixture.columns[0]?.values.length ?? 0;
  const out: Buffer[] = [Buffer.from('PAR1')];
  let offset = 4;
  const rowGroups: Value[] = [];
  for (let start = 0, group = 0; start < rows; start += fixture.rowGroupSize, group++) {
    const end = Math.min(rows, start + fixture.rowGroupSize);
    const chunks: Value[] = [];
    let groupBytes = 0;
    for (const column of fixture.columns) {
      const data = plainValues(column, start, end);
      const header = thrift(
        struct([1, i32(DATA_PAGE)], [2, i32(data.length)], [3, i32(data.length)], [5, struct([1, i32(end - start)], [2, i32(PLAIN)], [3, i32(RLE)], [4, i32(RLE)])]),
      );
      const page = Buffer.concat([header, data]);
      if (fixture.corruptGroups?.includes(group)) page.fill(0xff);
      const meta = struct(
        [1, i32(TYPE[column.type])],
        [2, list('i32', [i32(PLAIN)])],
        [3, list('bin', [bin(column.name)])],
        [4, i32(UNCOMPRESSED)],
        [5, i64(end - start)],
        [6, i64(page.length)],
        [7, i64(page.length)],
        [9, i64(offset)],
      );
      chunks.push(struct([2, i64(offset)], [3, meta]));
      out.push(page);
      offset += page.length;
      groupBytes += page.length;
    }
    rowGroups.push(struct([1, list('struct', chunks)], [2, i64(groupBytes)], [3, i64(end - start)]));
  }
  const schema = [
    struct([3, i32(REQUIRED)], [4, bin('schema')], [5, i32(fixture.columns.length)]),
    ...fixture.columns.map((c) =>
      c.type === 'string'
        ? struct([1, i32(TYPE.string)], [3, i32(REQUIRED)], [4, bin(c.name)], [6, i32(UTF8)])
        : struct([1, i32(TYPE[c.type])], [3, i32(REQUIRED)], [4, bin(c.name)]),
    ),
  ];
  const footer = thrift(struct([1, i32(1)], [2, list('struct', schema)], [3, i64(rows)], [4, list('struct', rowGroups)]));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(footer.length);
  out.push(footer, length, Buffer.from('PAR1'));
  return Buffer.concat(out);
}
