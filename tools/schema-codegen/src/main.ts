// `npm run schemas:generate [-- --check]`: validates libs/schemas/avro and regenerates libs/schemas/src/generated.
// With --check it writes nothing and exits 1 when the generated files are stale (for CI).
import { join, resolve } from 'node:path';
import { staleGeneratedFiles, writeGeneratedFiles } from './generated-files';
import { AvroTreeError } from './read-avro-tree';
import { schemaProblems } from './schema-problems';
import { CodegenError } from './ts-types';
import { generateSchemasLib, readSchemaFamilies, SCHEMAS_LAYOUT } from './workspace';

function main(argv: readonly string[]): number {
  const root = resolve(__dirname, '../../..');
  const generatedDir = join(root, SCHEMAS_LAYOUT.generatedDir);
  const families = readSchemaFamilies(root);
  // Refuse to generate from a schema the registry would reject: better now than at a service's start-up.
  const problems = schemaProblems(families);
  if (problems.length > 0) {
    console.error(`${SCHEMAS_LAYOUT.avroDir} has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    return 1;
  }
  const files = generateSchemasLib(families);
  if (argv.includes('--check')) {
    const stale = staleGeneratedFiles(generatedDir, files);
    if (stale.length === 0) return 0;
    console.error(`stale in ${SCHEMAS_LAYOUT.generatedDir}: ${stale.join(', ')} — run npm run schemas:generate`);
    return 1;
  }
  const written = writeGeneratedFiles(generatedDir, files);
  const summary = written.length === 0 ? 'already up to date' : `updated ${written.join(', ')}`;
  console.log(`${SCHEMAS_LAYOUT.generatedDir}: ${families.length} schema(s), ${summary}`);
  return 0;
}

function run(argv: readonly string[]): number {
  try {
    return main(argv);
  } catch (err) {
    // A mistake in the .avsc files: its message says what to fix, a stack trace would only bury it.
    if (!(err instanceof AvroTreeError || err instanceof CodegenError)) throw err;
    console.error(err.message);
    return 1;
  }
}

process.exitCode = run(process.argv.slice(2));
