import { definedName, isNamedDefinition, isPrimitive, namespaceOf, qualify, shortName } from './avro-names';
import { isJsonArray, isJsonObject, stringOf, type Json, type JsonObject } from './json';
import { jsdoc } from './jsdoc';

/** One exported TypeScript declaration generated from a named Avro type (or the alias of an unnamed root type). */
export interface Declaration {
  /** The Avro full name (`io.meterline.NodeMetricRaw`); for an unnamed root, the TypeScript name. */
  readonly key: string;
  readonly tsName: string;
  readonly text: string;
}

export interface RenderedTypes {
  /** The root type first, then the named types it defines, in the order they appear. */
  readonly declarations: readonly Declaration[];
}

export class CodegenError extends Error {
  override readonly name = 'CodegenError';
}

// avsc's defaults decide these: long decodes to a JS number (avsc throws beyond 2^53), bytes and fixed to Buffer.
const PRIMITIVE_TS: Readonly<Record<string, string>> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

// avsc is used without logical-type classes, so a logical type decodes as its underlying type; the comment keeps the
// meaning that the TypeScript type cannot carry.
const LOGICAL_NOTES: Readonly<Record<string, string>> = {
  'timestamp-millis': 'epoch milliseconds, UTC',
  'timestamp-micros': 'epoch microseconds, UTC',
  'local-timestamp-millis': 'milliseconds since 1970-01-01T00:00 in local time (no time zone)',
  'local-timestamp-micros': 'microseconds since 1970-01-01T00:00 in local time (no time zone)',
  date: 'days since 1970-01-01',
  'time-millis': 'milliseconds after midnight',
  'time-micros': 'microseconds after midnight',
  uuid: 'a UUID',
  decimal: 'two’s-complement unscaled decimal',
};

interface Rendered {
  readonly ts: string;
  /** Facts the TypeScript type loses (logical types), added to the doc comment of the field that uses it. */
  readonly notes: readonly string[];
}

/**
 * Renders TypeScript declarations for an Avro schema: records → interfaces with readonly fields, enums → string
 * unions, `["null", T]` → `T | null`, maps → `Readonly<Record<string, T>>`, arrays → `readonly T[]`, and a root
 * type without a name (`"string"`) → an alias called `rootName`. A named root type must be called `rootName` itself,
 * so a folder `node-metric-raw` always yields `NodeMetricRaw`.
 */
export function renderTypes(schema: Json, rootName: string): RenderedTypes {
  const renderer = new Renderer();
  const root = renderer.typeOf(schema, undefined);
  if (isNamedDefinition(schema)) {
    if (root.ts !== rootName) {
      const advice = `name it ${rootName} after its folder, or rename the folder`;
      throw new CodegenError(`the root type is named ${root.ts}; ${advice}`);
    }
  } else {
    const doc = isJsonObject(schema) ? stringOf(schema['doc']) : undefined;
    const alias = [...jsdoc([doc, ...root.notes], ''), `export type ${rootName} = ${root.ts};`];
    renderer.add(rootName, rootName, alias.join('\n'));
  }
  return { declarations: renderer.sorted() };
}

class Renderer {
  private readonly declarations = new Map<string, Declaration & { readonly order: number }>();
  private readonly tsNames = new Map<string, string>();
  private readonly order = new Map<string, number>();

  typeOf(schema: Json, namespace: string | undefined): Rendered {
    if (typeof schema === 'string') return this.reference(schema, namespace);
    if (isJsonArray(schema)) return this.union(schema, namespace);
    if (isJsonObject(schema)) return this.complex(schema, namespace);
    throw new CodegenError(`not an Avro schema: ${JSON.stringify(schema)}`);
  }

  add(key: string, tsName: string, text: string): void {
    this.declarations.set(key, { key, tsName, text, order: this.order.get(key) ?? -1 });
  }

  sorted(): Declaration[] {
    return [...this.declarations.values()]
      .sort((a, b) => a.order - b.order)
      .map(({ key, tsName, text }) => ({ key, tsName, text }));
  }

  private reference(name: string, namespace: string | undefined): Rendered {
    const primitive = PRIMITIVE_TS[name];
    if (primitive !== undefined) return { ts: primitive, notes: [] };
    // Avro looks an unqualified name up in the enclosing namespace first, then in the null namespace.
    const ts = this.tsNames.get(qualify(name, namespace)) ?? this.tsNames.get(name);
    if (ts === undefined) {
      throw new CodegenError(`unknown type ${name}: named types must be defined before their first use`);
    }
    return { ts, notes: [] };
  }

  private union(branches: readonly Json[], namespace: string | undefined): Rendered {
    const rendered = branches.map((b) => this.typeOf(b, namespace));
    const nonNull = rendered.filter((r) => r.ts !== 'null').map((r) => r.ts);
    const nullable = nonNull.length < rendered.length;
    return { ts: [...nonNull, ...(nullable ? ['null'] : [])].join(' | '), notes: rendered.flatMap((r) => r.notes) };
  }

  private complex(schema: JsonObject, namespace: string | undefined): Rendered {
    const type = schema['type'];
    if (type === undefined || type === null) throw new CodegenError(`missing "type" in ${JSON.stringify(schema)}`);
    if (typeof type !== 'string') return this.typeOf(type, namespace);
    switch (type) {
      case 'record':
      case 'error':
        return this.record(schema, namespace);
      case 'enum':
        return this.enumeration(schema, namespace);
      case 'fixed':
        return this.fixed(schema, namespace);
      case 'array': {
        const items = this.typeOf(schema['items'] ?? null, namespace);
        return { ts: `readonly ${items.ts.includes(' | ') ? `(${items.ts})` : items.ts}[]`, notes: items.notes };
      }
      case 'map': {
        const values = this.typeOf(schema['values'] ?? null, namespace);
        return { ts: `Readonly<Record<string, ${values.ts}>>`, notes: values.notes };
      }
      default:
        return this.logical(type, stringOf(schema['logicalType']), namespace);
    }
  }

  private logical(type: string, logicalType: string | undefined, namespace: string | undefined): Rendered {
    const base = this.reference(type, namespace);
    if (logicalType === undefined || !isPrimitive(type)) return base;
    const meaning = LOGICAL_NOTES[logicalType];
    const note = `Avro \`${type}\` with logicalType \`${logicalType}\`${meaning === undefined ? '' : `: ${meaning}`}.`;
    return { ts: base.ts, notes: [note] };
  }

  /** Registers a named type before its body is rendered, so a record may refer to itself (a linked list, a tree). */
  private define(schema: JsonObject, namespace: string | undefined): { fullName: string; tsName: string } {
    const fullName = definedName(schema, namespace);
    const tsName = shortName(fullName);
    const clash = [...this.tsNames].find(([other, ts]) => ts === tsName && other !== fullName);
    if (clash) throw new CodegenError(`${fullName} and ${clash[0]} would both be the TypeScript type ${tsName}`);
    this.tsNames.set(fullName, tsName);
    this.order.set(fullName, this.order.size);
    return { fullName, tsName };
  }

  private record(schema: JsonObject, namespace: string | undefined): Rendered {
    const { fullName, tsName } = this.define(schema, namespace);
    const fields = schema['fields'];
    const lines = (isJsonArray(fields) ? fields : []).filter(isJsonObject).flatMap((field) => {
      const name = stringOf(field['name']) ?? '';
      const rendered = this.typeOf(field['type'] ?? null, namespaceOf(fullName));
      return [...jsdoc([stringOf(field['doc']), ...rendered.notes], '  '), `  readonly ${name}: ${rendered.ts};`];
    });
    const text = [...jsdoc([stringOf(schema['doc'])], ''), `export interface ${tsName} {`, ...lines, '}'].join('\n');
    this.add(fullName, tsName, text);
    return { ts: tsName, notes: [] };
  }

  private enumeration(schema: JsonObject, namespace: string | undefined): Rendered {
    const { fullName, tsName } = this.define(schema, namespace);
    const symbols = schema['symbols'];
    const union = (isJsonArray(symbols) ? symbols : []).map((s) => `'${String(s)}'`).join(' | ');
    const text = [...jsdoc([stringOf(schema['doc'])], ''), `export type ${tsName} = ${union || 'never'};`];
    this.add(fullName, tsName, text.join('\n'));
    return { ts: tsName, notes: [] };
  }

  private fixed(schema: JsonObject, namespace: string | undefined): Rendered {
    const { fullName, tsName } = this.define(schema, namespace);
    const size = typeof schema['size'] === 'number' ? schema['size'] : '?';
    const notes = [stringOf(schema['doc']), `Avro \`fixed\` of ${size} bytes.`];
    this.add(fullName, tsName, [...jsdoc(notes, ''), `export type ${tsName} = Buffer;`].join('\n'));
    return { ts: tsName, notes: [] };
  }
}
