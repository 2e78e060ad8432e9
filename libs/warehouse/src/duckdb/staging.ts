import {
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
  FLOAT,
  INTEGER,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import { type ColumnDefinition, type ColumnType, isMapType } from '../model/column';
import { canonicalJson, valueCheck } from '../model/values';
import { quote } from './duckdb-types';

/** A column to stage and how to read its value from one record. */
export interface StagedColumn<R> {
  readonly column: ColumnDefinition;
  /** The value for one record; `index` is its position in the staged records. */
  readonly get: (record: R, index: number) => unknown;
}

/** A staged batch: `SELECT <select> FROM <from>` yields the rows with their real column types. */
export interface Staged {
  /** Decoding expressions, one per column, aliased to the column names. */
  readonly select: string;
  readonly from: string;
  readonly params: Record<string, DuckDBValue>;
  readonly paramTypes: Record<string, DuckDBType>;
}

export type ProblemHandler<R> = (record: R, column: ColumnDefinition, problem: string) => Error;

/** The appender's rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048;

/** A trie over a map's entries in arrival order: finds a map's dictionary code without building a string per row. */
interface MapNode {
  code: number;
  readonly next: Map<string, Map<unknown, MapNode>>;
}

/**
 * Dictionary codes for strings and maps, 1-based because a DuckDB list index of 0 yields NULL: code 0 is null.
 * Node ids, metric names, units, sources and label sets repeat across a batch; handing DuckDB each distinct value
 * once (as a list parameter) instead of once per row is what makes the load fast: every string written into a
 * vector is a call into the native binding, and those calls cost more than everything else in a row.
 */
class Dictionaries {
  readonly strings: string[] = [];
  readonly json: string[] = [];
  private readonly stringCodes = new Map<string, number>();
  private readonly mapRoot: MapNode = { code: 0, next: new Map() };

  stringCode(value: string): number {
    let code = this.stringCodes.get(value);
    if (code === undefined) {
      code = this.strings.push(value);
      this.stringCodes.set(value, code);
    }
    return code;
  }

  mapCode(map: Readonly<Record<string, unknown>>): number {
    let node = this.mapRoot;
    for (const key in map) {
      let byValue = node.next.get(key);
      if (byValue === undefined) {
        byValue = new Map();
        node.next.set(key, byValue);
      }
      const value = map[key];
      let child = byValue.get(value);
      if (child === undefined) {
        child = { code: 0, next: new Map() };
        byValue.set(value, child);
      }
      node = child;
    }
    // Entry orders differ between equal maps only in which code they get; the stored text is canonical either way.
    if (node.code === 0) node.code = this.json.push(canonicalJson(map));
    return node.code;
  }
}

/** How a column travels: its staging type, its encoding of a non-null value, and the expression decoding it. */
interface Codec {
  readonly stageType: DuckDBType;
  readonly encode: (value: unknown, dictionaries: Dictionaries) => DuckDBValue;
  readonly decode: (ref: string) => string;
  /** Dictionary codes carry null as 0; other types need a null flag column beside them (see stage). */
  readonly coded: boolean;
}

const asIs = (ref: string) => ref;
const number = (value: unknown) => value as number;

function codecOf(type: ColumnType): Codec {
  if (isMapType(type)) {
    return {
      stageType: INTEGER,
      encode: (value, d) => d.mapCode(value as Readonly<Record<string, unknown>>),
      // Cast once as a constant list, not per row.
      decode: (ref) => `(CAST($json AS JSON[]))[${ref}]`,
      coded: true,
    };
  }
  switch (type) {
    case 'string':
      return { stageType: INTEGER, encode: (value, d) => d.stringCode(value as string), decode: (ref) => `$strings[${ref}]`, coded: true };
    case 'timestamp':
      // Epoch milliseconds are exact in a double; a TIMESTAMP vector would need a bigint of microseconds per value.
      return { stageType: DOUBLE, encode: number, decode: (ref) => `epoch_ms(CAST(${ref} AS BIGINT))`, coded: false };
    case 'long':
      // Longs are safe integers (see typeCheck), exact in a double: no bigint per value either.
      return {
        stageType: DOUBLE,
        encode: (value) => (typeof value === 'bigint' ? Number(value) : (value as number)),
        decode: (ref) => `CAST(${ref} AS BIGINT)`,
        coded: false,
      };
    case 'int':
      return { stageType: INTEGER, encode: number, decode: asIs, coded: false };
    case 'float':
      return { stageType: FLOAT, encode: number, decode: asIs, coded: false };
    case 'double':
      return { stageType: DOUBLE, encode: number, decode: asIs, coded: false };
    case 'boolean':
      return { stageType: BOOLEAN, encode: (value) => value as boolean, decode: asIs, coded: false };
  }
}

interface Lane<R> extends StagedColumn<R> {
  readonly codec: Codec;
  readonly check: (value: unknown) => string | undefined;
  /** A nullable column of a non-coded type stages a BOOLEAN `<name>__null` right after its values. */
  readonly nullFlag: boolean;
  readonly zero: DuckDBValue;
}

const flagName = (column: ColumnDefinition) => `${column.name}__null`;

/**
 * Appends records into a temporary table of the current transaction through the appender, one data chunk of 2048
 * rows at a time, checking every value on the way (a value that does not fit raises `onProblem`'s error). Strings
 * and maps are staged as dictionary codes; `Staged` decodes them back in SQL, so the target table is then filled by
 * one INSERT/MERGE ... SELECT inside DuckDB.
 *
 * Nulls of other types travel as a flag column rather than as vector nulls: node-api's validity mask costs two
 * bigint allocations per value written once a chunk holds a null, which showed as garbage collection in the load.
 */
export async function stage<R>(
  connection: DuckDBConnection,
  name: string,
  columns: readonly StagedColumn<R>[],
  records: readonly R[],
  onProblem: ProblemHandler<R>,
): Promise<Staged> {
  const lanes = columns.map((c): Lane<R> => {
    const codec = codecOf(c.column.type);
    const zero = codec.stageType === BOOLEAN ? false : 0;
    return { ...c, codec, check: valueCheck(c.column), nullFlag: c.column.nullable && !codec.coded, zero };
  });
  const stageColumns = lanes.flatMap(({ column, codec, nullFlag }) => [
    `${quote(column.name)} ${codec.stageType.toString()}`,
    ...(nullFlag ? [`${quote(flagName(column))} BOOLEAN`] : []),
  ]);
  const types = lanes.flatMap(({ codec, nullFlag }) => (nullFlag ? [codec.stageType, BOOLEAN] : [codec.stageType]));
  const table = quote(name);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (${stageColumns.join(', ')})`);

  const dictionaries = new Dictionaries();
  const appender = await connection.createAppender(name, 'main', 'temp');
  try {
    for (let start = 0; start < records.length; start += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, records.length - start);
      const chunk = DuckDBDataChunk.create(types, rows);
      let vectorIndex = 0;
      // Column by column: each loop stays monomorphic (one getter, one check, one encoder, one vector type).
      for (const { column, get, check, codec, nullFlag, zero } of lanes) {
        const values = chunk.getColumnVector(vectorIndex++);
        const flags = nullFlag ? chunk.getColumnVector(vectorIndex++) : undefined;
        for (let row = 0; row < rows; row++) {
          const record = records[start + row] as R;
          const value = get(record, start + row);
          const problem = check(value);
          if (problem !== undefined) throw onProblem(record, column, problem);
          const isNull = value === null;
          flags?.setItem(row, isNull);
          values.setItem(row, isNull ? zero : codec.encode(value, dictionaries));
        }
        values.flush();
        flags?.flush();
      }
      appender.appendDataChunk(chunk);
    }
  } catch (err) {
    // The caller rolls the transaction back; this only releases the appender without flushing a partial chunk.
    appender.clear();
    appender.closeSync();
    throw err;
  }
  appender.closeSync();

  const params: Record<string, DuckDBValue> = {};
  const paramTypes: Record<string, DuckDBType> = {};
  if (lanes.some(({ column }) => column.type === 'string')) {
    params['strings'] = listValue(dictionaries.strings);
    paramTypes['strings'] = LIST(VARCHAR);
  }
  if (lanes.some(({ column }) => isMapType(column.type))) {
    params['json'] = listValue(dictionaries.json);
    paramTypes['json'] = LIST(VARCHAR);
  }
  const decode = ({ column, codec, nullFlag }: Lane<R>) => {
    const value = codec.decode(quote(column.name));
    return nullFlag ? `CASE WHEN ${quote(flagName(column))} THEN NULL ELSE ${value} END` : value;
  };
  return {
    select: lanes.map((lane) => `${decode(lane)} AS ${quote(lane.column.name)}`).join(', '),
    from: `temp.main.${table}`,
    params,
    paramTypes,
  };
}
