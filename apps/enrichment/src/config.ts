import { baseEnv } from '@meterline/config';

/** Environment variables of enrichment; its own ones will be prefixed ENRICHMENT_. */
export const enrichmentEnv = {
  ...baseEnv('enrichment'),
} as const;
