import { ConfigError, loadConfig, type ConfigOf, type EnvSpec } from '@meterline/config';
import { createLogger } from '@meterline/observability';
import { startRuntime, type BaseConfig, type Runtime, type RuntimeOptions } from './runtime';

/**
 * The whole life of a service process: parse the config (every problem reported at once, exit 1), start the shared
 * runtime, then the service's own wiring. Whatever fails after start-up goes through the orderly shutdown with exit 1.
 */
export function runService<T extends EnvSpec>(
  service: string,
  env: T,
  wire: (runtime: Runtime<ConfigOf<T> & BaseConfig>) => Promise<void>,
  /** Given the parsed config, e.g. to mount HTTP routes (before Kafka is connected) with configured limits. */
  options: (config: ConfigOf<T> & BaseConfig) => RuntimeOptions = () => ({}),
): void {
  let config: ConfigOf<T> & BaseConfig;
  try {
    config = loadConfig(env) as ConfigOf<T> & BaseConfig;
  } catch (err) {
    const logger = createLogger({ service, level: 'info' });
    if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
    else logger.fatal({ err }, 'could not load the configuration');
    process.exit(1);
  }
  startRuntime(service, config, options(config)).then(
    (runtime) =>
      wire(runtime).then(
        () => runtime.logger.info('ready to work'),
        (err: unknown) => void runtime.shutdown.fail(err, 'service wiring failed'),
      ),
    (err: unknown) => {
      createLogger({ service, level: 'info' }).fatal({ err }, 'start-up failed');
      process.exit(1);
    },
  );
}
