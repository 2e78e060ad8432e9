import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openDuckDbWarehouse } from '../duckdb/duckdb-warehouse';
import type { WarehouseModel } from '../model/tables';
import type { Warehouse } from '../warehouse';
import { tempDirectory } from './temp-database';

export interface WarehouseFixture {
  readonly path: string;
  readonly file: (name: string) => string;
  readonly warehouse: Warehouse;
  /** A second connection to the same database, for reference queries that do not go through the warehouse. */
  readonly sql: DuckDBConnection;
  readonly close: () => Promise<void>;
}

/** A warehouse on a fresh database file with its tables created, plus an independent connection to it. */
export async function warehouseFixture(model?: WarehouseModel): Promise<WarehouseFixture> {
  const dir = tempDirectory();
  const path = dir.path('warehouse.duckdb');
  const instance = await DuckDBInstance.create(path);
  const warehouse = await openDuckDbWarehouse(model === undefined ? { instance } : { instance, model });
  await warehouse.ensureTables();
  const sql = await instance.connect();
  return {
    path,
    file: dir.path,
    warehouse,
    sql,
    close: async () => {
      await warehouse.close();
      sql.closeSync();
      instance.closeSync();
      dir.remove();
    },
  };
}
