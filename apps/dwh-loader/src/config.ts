import { baseEnv } from '@meterline/config';

/** Environment variables of dwh-loader; its own ones will be prefixed DWH_LOADER_. */
export const dwhLoaderEnv = {
  ...baseEnv('dwh-loader'),
} as const;
