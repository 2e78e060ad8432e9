import { messageOf, parseAvro } from './avro-type';
import { evolutionProblems } from './evolution';
import type { SchemaFamily } from './schema-family';

/** Everything wrong with a tree of schemas, all at once: versions avsc cannot parse, then incompatible evolutions. */
export function schemaProblems(families: readonly SchemaFamily[]): string[] {
  return families.flatMap((family) => {
    const unparsable = family.versions.flatMap((v) => {
      try {
        parseAvro(v.schema);
        return [];
      } catch (err) {
        return [`${v.file}: ${messageOf(err)}`];
      }
    });
    // Comparing versions only makes sense once each of them parses.
    return unparsable.length > 0 ? unparsable : evolutionProblems(family);
  });
}
