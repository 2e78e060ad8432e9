// The built-in mappings are imported, not read from disk, so that the bundled service (esbuild, dist/apps/ingest/
// main.js) carries them inside: no path to resolve at run time, nothing to copy next to the bundle.
import clusterPool from '../../mappings/cluster-pool.json';
import nabSeries from '../../mappings/nab-series.json';
import seedMetadata from '../../mappings/seed-metadata.json';
import seedMetrics from '../../mappings/seed-metrics.json';

export const BUILTIN_MAPPINGS: Readonly<Record<string, unknown>> = {
  'cluster-pool': clusterPool,
  'nab-series': nabSeries,
  'seed-metadata': seedMetadata,
  'seed-metrics': seedMetrics,
};

export const builtinMappingNames = (): string[] => Object.keys(BUILTIN_MAPPINGS).sort();
