import { isJsonArray, isJsonObject, stringOf, type Json, type JsonObject } from './json';

export const PRIMITIVE_TYPES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;

export const isPrimitive = (name: string): boolean => (PRIMITIVE_TYPES as readonly string[]).includes(name);

/** Avro name resolution: a name with a dot is already full; otherwise it lives in the enclosing namespace. */
export const qualify = (name: string, namespace: string | undefined): string =>
  name.includes('.') || !namespace ? name : `${namespace}.${name}`;

export const shortName = (fullName: string): string => fullName.slice(fullName.lastIndexOf('.') + 1);

export const namespaceOf = (fullName: string): string | undefined =>
  fullName.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : undefined;

const NAMED_KINDS = ['record', 'error', 'enum', 'fixed'];

export const isNamedDefinition = (schema: Json): schema is JsonObject =>
  isJsonObject(schema) && NAMED_KINDS.includes(stringOf(schema['type']) ?? '');

/** The full name a named type definition declares, given the namespace it is written in. */
export function definedName(definition: JsonObject, enclosingNamespace: string | undefined): string {
  const name = stringOf(definition['name']) ?? '';
  return qualify(name, stringOf(definition['namespace']) ?? enclosingNamespace);
}

/** Every named type (record, error, enum, fixed) a schema defines, by full name. */
export function collectNamedTypes(schema: Json): Map<string, JsonObject> {
  const found = new Map<string, JsonObject>();
  const visit = (node: Json, namespace: string | undefined): void => {
    if (isJsonArray(node)) {
      for (const branch of node) visit(branch, namespace);
      return;
    }
    if (!isJsonObject(node)) return;
    if (isNamedDefinition(node)) {
      const fullName = definedName(node, namespace);
      found.set(fullName, node);
      const fields = node['fields'];
      if (isJsonArray(fields)) {
        for (const field of fields) if (isJsonObject(field)) visit(field['type'] ?? null, namespaceOf(fullName));
      }
      return;
    }
    const type = node['type'];
    if (type === 'array') visit(node['items'] ?? null, namespace);
    else if (type === 'map') visit(node['values'] ?? null, namespace);
    else if (type !== undefined && typeof type !== 'string') visit(type, namespace);
  };
  visit(schema, undefined);
  return found;
}
