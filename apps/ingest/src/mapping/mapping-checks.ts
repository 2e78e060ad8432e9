/**
 * Checks across fields, which a schema of each field alone cannot make. They read the raw JSON defensively, so they
 * run even when the schema found other problems: a mapping's author sees every mistake in one round.
 */
const REQUIRED = { metrics: ['node_id', 'metric', 'value', 'event_time'], metadata: ['node_id'] } as const;

type Json = Readonly<Record<string, unknown>>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function crossCheck(input: unknown): string[] {
  if (!isObject(input) || (input['produces'] !== 'metrics' && input['produces'] !== 'metadata')) return [];
  const produces = input['produces'];
  const fields = isObject(input['fields']) ? input['fields'] : {};
  const records = produces === 'metrics' && Array.isArray(input['records']) ? input['records'].filter(isObject) : [];
  const problems: string[] = [];

  for (const name of REQUIRED[produces]) {
    const mapped = fields[name] !== undefined || (records.length > 0 && records.every((r) => r[name] !== undefined));
    if (!mapped) {
      const where = records.length > 0 ? ' (in "fields", or in every one of "records")' : '';
      problems.push(`fields.${name}: not mapped; every ${produces === 'metrics' ? 'metric' : 'metadata record'} needs one${where}`);
    }
  }

  // Column names are only known up front when the mapping gives them, or when a headerless file numbers them.
  const csv = isObject(input['csv']) ? input['csv'] : {};
  const names = Array.isArray(csv['columns']) ? csv['columns'].filter((c): c is string => typeof c === 'string') : undefined;
  if (names || csv['header'] === false) {
    const refs = [...columnRefs(fields, 'fields'), ...records.flatMap((r, i) => columnRefs(r, `records[${i}]`))];
    for (const { path, column } of refs) {
      if (names && !names.includes(column)) {
        problems.push(`${path}: column "${column}" is not one of csv.columns (${names.join(', ')})`);
      } else if (!names && !/^\d+$/.test(column)) {
        problems.push(`${path}: a headerless file without csv.columns names its columns by position ("0", "1", ...), not "${column}"`);
      }
    }
  }
  return problems;
}

/** The columns a fields object refers to, with where they are written. */
function columnRefs(fields: Json, at: string): { path: string; column: string }[] {
  const out: { path: string; column: string }[] = [];
  const visit = (spec: unknown, path: string) => {
    const list = Array.isArray(spec) ? spec : [spec];
    list.forEach((s, i) => {
      const where = Array.isArray(spec) ? `${path}[${i}]` : path;
      if (typeof s === 'string') out.push({ path: where, column: s });
      else if (isObject(s) && typeof s['column'] === 'string') out.push({ path: where, column: s['column'] });
    });
  };
  for (const [name, spec] of Object.entries(fields)) {
    if (name === 'labels' && isObject(spec)) for (const [label, l] of Object.entries(spec)) visit(l, `${at}.labels.${label}`);
    else visit(spec, `${at}.${name}`);
  }
  return out;
}

/**
 * A schema issue's path as the author wrote the file: `records[1].value`, and without the `[0]` of a single source
 * that the schema wrapped into a list.
 */
export function formatPath(path: readonly PropertyKey[], input: unknown): string {
  let text = '';
  let node: unknown = input;
  for (const key of path) {
    if (typeof key === 'number' && !Array.isArray(node) && key === 0) continue;
    text += typeof key === 'number' ? `[${key}]` : `${text === '' ? '' : '.'}${String(key)}`;
    node = Array.isArray(node) && typeof key === 'number' ? node[key] : isObject(node) ? node[String(key)] : undefined;
  }
  return text === '' ? '(top level)' : text;
}
