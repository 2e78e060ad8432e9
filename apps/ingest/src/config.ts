import { baseEnv } from '@meterline/config';

/** Environment variables of ingest; its own ones will be prefixed INGEST_. */
export const ingestEnv = {
  ...baseEnv('ingest'),
} as const;
