import { baseEnv } from '@meterline/config';

/** Environment variables of feature-builder; its own ones will be prefixed FEATURE_BUILDER_. */
export const featureBuilderEnv = {
  ...baseEnv('feature-builder'),
} as const;
