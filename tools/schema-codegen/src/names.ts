/** `node-metric-raw` → `NodeMetricRaw`: the TypeScript name of a schema family's type. */
export const pascalCase = (kebab: string): string =>
  kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** `node-metric-raw` → `nodeMetricRaw`: the stem of a schema family's constants. */
export const camelCase = (kebab: string): string => {
  const pascal = pascalCase(kebab);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
};
