import { baseEnv } from '@meterline/config';

/** Environment variables of enrichment; its own ones will be prefixed ENRICHMENT_. */
export const enrichmentEnv = {
  ...baseEnv(9402),
} as const;
