import { definedName, isNamedDefinition } from './avro-names';
import { formatJson } from './format-json';
import { isJsonArray, isJsonObject, type Json } from './json';
import { camelCase, pascalCase } from './names';
import { currentVersion, type SchemaFamily, type SchemaVersion } from './schema-family';
import { CodegenError, renderTypes, type Declaration } from './ts-types';

/** A file to write into the generated folder; `path` is relative to it. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export interface GenerateOptions {
  /** The .avsc folder relative to the workspace root, named in each file's header: `libs/schemas/avro`. */
  readonly sourceDir: string;
  /** The module, relative to the generated folder, that exports the `AvroSchema` and `VersionedSchema` types. */
  readonly runtimeImport: string;
}

interface FamilyTypes {
  readonly family: SchemaFamily;
  readonly current: SchemaVersion;
  readonly declarations: readonly Declaration[];
}

/**
 * One module per schema family (its types from the current version, every version's parsed JSON as a constant, and
 * the current version typed with its data) plus a barrel. Pure: the same families always give the same text, which
 * is what lets a spec regenerate in memory and compare with the committed files.
 */
export function generateModules(families: readonly SchemaFamily[], options: GenerateOptions): GeneratedFile[] {
  const typed = families.map((family): FamilyTypes => {
    const current = currentVersion(family);
    if (!current) throw new CodegenError(`${family.name}: no version to generate from`);
    return { family, current, declarations: renderTypes(current.schema, pascalCase(family.name)).declarations };
  });
  const owners = declarationOwners(typed);
  const modules = typed.map((t) => ({ path: `${t.family.name}.ts`, content: familyModule(t, owners, options) }));
  return [...modules, { path: 'index.ts', content: barrel(families, options) }];
}

/**
 * A named type embedded in several schemas (an enriched record carrying the raw sample, say) is declared once: by the
 * family whose root it is, else by the first family defining it; the others import it. The copies must render
 * identically, otherwise one TypeScript name would stand for two shapes.
 */
function declarationOwners(typed: readonly FamilyTypes[]): Map<string, string> {
  const owners = new Map<string, { family: string; declaration: Declaration }>();
  const claim = (family: string, declaration: Declaration) => {
    const owner = owners.get(declaration.key);
    if (!owner) {
      const sameTsName = [...owners.values()].find((o) => o.declaration.tsName === declaration.tsName);
      if (sameTsName) {
        throw new CodegenError(
          `${declaration.key} (${family}) and ${sameTsName.declaration.key} (${sameTsName.family}) ` +
            `would both be the TypeScript type ${declaration.tsName}; rename one`,
        );
      }
      owners.set(declaration.key, { family, declaration });
    } else if (owner.declaration.text !== declaration.text) {
      throw new CodegenError(
        `${declaration.key} is defined differently in ${owner.family} and ${family}; keep the copies identical ` +
          `(docs included) or give one another name`,
      );
    }
  };
  for (const t of typed) {
    const root = t.declarations[0];
    if (root) claim(t.family.name, root);
  }
  for (const t of typed) for (const d of t.declarations.slice(1)) claim(t.family.name, d);
  return new Map([...owners].map(([key, o]) => [key, o.family]));
}

function familyModule(t: FamilyTypes, owners: Map<string, string>, options: GenerateOptions): string {
  const { family, current } = t;
  const own = t.declarations.filter((d) => owners.get(d.key) === family.name);
  const imported = t.declarations
    .map((d) => ({ tsName: d.tsName, from: owners.get(d.key) ?? family.name }))
    .filter((d) => d.from !== family.name)
    .sort((a, b) => a.from.localeCompare(b.from) || a.tsName.localeCompare(b.tsName))
    .map((d) => `import type { ${d.tsName} } from './${d.from}';`);
  const stem = camelCase(family.name);
  const files = family.versions.map((v) => `${options.sourceDir}/${v.file}`);
  const sources = files.length === 1 ? files[0] : `${files.join(', ')} (types from v${current.version})`;
  const constants = family.versions.map((v) =>
    [
      `/** ${options.sourceDir}/${v.file} */`,
      `export const ${stem}SchemaV${v.version}: AvroSchema = ${formatJson(v.schema)};`,
    ].join('\n'),
  );
  const versioned = [
    `/** The current version of the \`${family.name}\` schema, typed with the data it describes. */`,
    `export const ${stem}Schema: VersionedSchema<${pascalCase(family.name)}> = {`,
    `  family: '${family.name}',`,
    `  name: '${avroName(current.schema)}',`,
    `  version: ${current.version},`,
    `  schema: ${stem}SchemaV${current.version},`,
    '};',
  ].join('\n');
  const runtime = `import type { AvroSchema, VersionedSchema } from '${options.runtimeImport}';`;
  const imports = [runtime, ...imported].join('\n');
  const parts = [header(sources ?? family.name), imports, ...own.map((d) => d.text), ...constants, versioned];
  return `${parts.join('\n\n')}\n`;
}

function barrel(families: readonly SchemaFamily[], options: GenerateOptions): string {
  const exports = families.map((f) => `export * from './${f.name}';`).join('\n');
  return `${header(`the folders of ${options.sourceDir}`)}\n\n${exports}\n`;
}

const header = (sources: string): string =>
  [
    `// Generated by tools/schema-codegen from ${sources}.`,
    '// Do not edit: change the .avsc files and run `npm run schemas:generate`; a spec fails while this is stale.',
  ].join('\n');

/** The name a schema goes by: the full name of a named type, else its type (`string`, `map`, `union`). */
function avroName(schema: Json): string {
  if (isNamedDefinition(schema)) return definedName(schema, undefined);
  if (typeof schema === 'string') return schema;
  if (isJsonArray(schema)) return 'union';
  const type = isJsonObject(schema) ? schema['type'] : undefined;
  return typeof type === 'string' ? type : 'unknown';
}
