import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '@meterline/config';
import { openDuckDbWarehouse, type Warehouse } from '@meterline/warehouse';
import type { WarehouseKind } from './config';

export interface WarehouseSettings {
  readonly warehouse: WarehouseKind;
  readonly duckDbPath: string;
}

/**
 * Opens the configured warehouse; every backend sits behind the same `Warehouse` interface, so nothing else in the
 * loader knows which one it writes to. Errors are classified by the backend (a locked DuckDB file is transient).
 */
export async function openWarehouse(settings: WarehouseSettings): Promise<Warehouse> {
  switch (settings.warehouse) {
    case 'duckdb':
      // DuckDB creates the file, not its directory.
      mkdirSync(dirname(settings.duckDbPath), { recursive: true });
      return openDuckDbWarehouse({ path: settings.duckDbPath });
    case 'snowflake':
      throw new ConfigError([
        'DWH_LOADER_WAREHOUSE=snowflake: the Snowflake backend is not built into dwh-loader yet (libs/warehouse/src/snowflake ' +
          'exports no warehouse so far); use duckdb',
      ]);
  }
}
