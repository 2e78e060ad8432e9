import { parseEnv, type ConfigOf, type EnvSpec } from './env';

/** The one place that reads `process.env`: everything else receives the frozen, typed result. */
export const loadConfig = <T extends EnvSpec>(spec: T): ConfigOf<T> => parseEnv(spec, process.env);
