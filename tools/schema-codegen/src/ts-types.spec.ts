import type { Json } from './json';
import { CodegenError, renderTypes } from './ts-types';

// Object literals with optional keys are not assignable to Json as written; a JSON round trip gives the value as read.
const json = (value: unknown): Json => JSON.parse(JSON.stringify(value));

const texts = (schema: unknown, rootName: string): string[] =>
  renderTypes(json(schema), rootName).declarations.map((d) => d.text);

describe('renderTypes', () => {
  it('renders a record with every kind of field, the root first and nested named types after it', () => {
    const schema = {
      type: 'record',
      name: 'NodeWindow',
      namespace: 'io.meterline',
      doc: 'Aggregates of one node over one window.',
      fields: [
        { name: 'node_id', type: 'string', doc: 'Kubernetes node name.' },
        { name: 'count', type: 'long' },
        { name: 'max', type: ['null', 'double'], default: null, doc: 'Largest value;\nnull when the window was empty.' },
        { name: 'start', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'day', type: { type: 'int', logicalType: 'date' }, doc: 'Calendar day.' },
        { name: 'labels', type: { type: 'map', values: 'string' }, default: {} },
        { name: 'tags', type: { type: 'array', items: ['null', 'string'] } },
        { name: 'kind', type: { type: 'enum', name: 'WindowKind', symbols: ['TUMBLING', 'HOPPING'], doc: 'Window shape.' } },
        {
          name: 'source',
          type: {
            type: 'record',
            name: 'Source',
            namespace: 'io.meterline.common',
            fields: [
              { name: 'digest', type: { type: 'fixed', name: 'Md5', size: 16 } },
              { name: 'raw', type: 'bytes' },
              { name: 'ok', type: 'boolean' },
              { name: 'ratio', type: 'float' },
            ],
          },
        },
        { name: 'previous', type: ['null', 'io.meterline.common.Source'], default: null },
        { name: 'parent', type: ['null', 'NodeWindow'], default: null, doc: 'Windows nest: a record may refer to itself.' },
      ],
    };
    expect(texts(schema, 'NodeWindow')).toEqual([
      [
        '/** Aggregates of one node over one window. */',
        'export interface NodeWindow {',
        '  /** Kubernetes node name. */',
        '  readonly node_id: string;',
        '  readonly count: number;',
        '  /**',
        '   * Largest value;',
        '   * null when the window was empty.',
        '   */',
        '  readonly max: number | null;',
        '  /** Avro `long` with logicalType `timestamp-millis`: epoch milliseconds, UTC. */',
        '  readonly start: number;',
        '  /**',
        '   * Calendar day.',
        '   * Avro `int` with logicalType `date`: days since 1970-01-01.',
        '   */',
        '  readonly day: number;',
        '  readonly labels: Readonly<Record<string, string>>;',
        '  readonly tags: readonly (string | null)[];',
        '  readonly kind: WindowKind;',
        '  readonly source: Source;',
        '  readonly previous: Source | null;',
        '  /** Windows nest: a record may refer to itself. */',
        '  readonly parent: NodeWindow | null;',
        '}',
      ].join('\n'),
      ['/** Window shape. */', "export type WindowKind = 'TUMBLING' | 'HOPPING';"].join('\n'),
      [
        'export interface Source {',
        '  readonly digest: Md5;',
        '  readonly raw: Buffer;',
        '  readonly ok: boolean;',
        '  readonly ratio: number;',
        '}',
      ].join('\n'),
      ['/** Avro `fixed` of 16 bytes. */', 'export type Md5 = Buffer;'].join('\n'),
    ]);
  });

  it('names an unnamed root type after its folder', () => {
    expect(texts({ type: 'string' }, 'NodeId')).toEqual(['export type NodeId = string;']);
    expect(texts({ type: 'long', logicalType: 'timestamp-millis' }, 'WindowEnd')).toEqual([
      '/** Avro `long` with logicalType `timestamp-millis`: epoch milliseconds, UTC. */\nexport type WindowEnd = number;',
    ]);
    expect(texts({ type: 'map', values: ['null', 'long'] }, 'Counters')).toEqual([
      'export type Counters = Readonly<Record<string, number | null>>;',
    ]);
  });

  it('refuses a named root type not called after its folder', () => {
    const schema = { type: 'record', name: 'NodeSample', fields: [] };
    expect(() => renderTypes(schema, 'NodeMetricRaw')).toThrow(
      new CodegenError('the root type is named NodeSample; name it NodeMetricRaw after its folder, or rename the folder'),
    );
  });

  it('refuses two named types that would share one TypeScript name', () => {
    const schema = {
      type: 'record',
      name: 'Pair',
      namespace: 'io.a',
      fields: [
        { name: 'left', type: { type: 'enum', name: 'Side', symbols: ['L'] } },
        { name: 'right', type: { type: 'enum', name: 'Side', namespace: 'io.b', symbols: ['R'] } },
      ],
    };
    expect(() => renderTypes(json(schema), 'Pair')).toThrow(/io\.b\.Side and io\.a\.Side would both be the TypeScript type Side/);
  });

  it('refuses a reference to a type it has not seen defined', () => {
    const schema = { type: 'record', name: 'Holder', fields: [{ name: 'x', type: 'Missing' }] };
    expect(() => renderTypes(schema, 'Holder')).toThrow(/unknown type Missing/);
  });
});
