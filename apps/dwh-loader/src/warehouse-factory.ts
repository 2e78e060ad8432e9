import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, type ConfigOf } from '@meterline/config';
import { openDuckDbWarehouse, openSnowflakeWarehouse, type Warehouse } from '@meterline/warehouse';
import { type dwhLoaderEnv, snowflakeSettings } from './config';

export type WarehouseSettings = Pick<ConfigOf<typeof dwhLoaderEnv>, 'warehouse' | 'duckDbPath'> & Parameters<typeof snowflakeSettings>[0];

/**
 * Opens the configured warehouse; every backend sits behind the same `Warehouse` interface, so nothing else in the
 * loader knows which one it writes to. Errors are classified by the backend (a locked DuckDB file, an unreachable
 * Snowflake: transient), and a Snowflake connection missing settings is refused with all of them named.
 */
export async function openWarehouse(settings: WarehouseSettings): Promise<Warehouse> {
  switch (settings.warehouse) {
    case 'duckdb':
      // DuckDB creates the file, not its directory.
      mkdirSync(dirname(settings.duckDbPath), { recursive: true });
      return openDuckDbWarehouse({ path: settings.duckDbPath });
    case 'snowflake': {
      const { settings: snowflake, problems } = snowflakeSettings(settings);
      if (snowflake === undefined) throw new ConfigError(problems);
      return openSnowflakeWarehouse(snowflake);
    }
  }
}
