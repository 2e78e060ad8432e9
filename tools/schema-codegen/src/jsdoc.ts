/** A doc comment from the given paragraphs (absent ones skipped): one line when it fits on one, nothing when empty. */
export function jsdoc(paragraphs: readonly (string | undefined)[], indent: string): string[] {
  const lines = paragraphs
    .filter((p): p is string => p !== undefined && p.trim() !== '')
    .flatMap((p) => p.split('\n'))
    .map((line) => line.trim().replaceAll('*/', '*\\/'));
  if (lines.length === 0) return [];
  if (lines.length === 1) return [`${indent}/** ${lines[0] ?? ''} */`];
  return [`${indent}/**`, ...lines.map((line) => `${indent} * ${line}`.trimEnd()), `${indent} */`];
}
