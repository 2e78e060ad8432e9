export type {
  KeyedSourceRecord,
  OffsetCommit,
  PartitionOffset,
  PoisonRecord,
  SourceRecord,
  TableRecords,
  Warehouse,
  WriteBatch,
  WriteResult,
} from './warehouse';
export type { ColumnDefinition, ColumnType, PrimitiveType } from './model/column';
export { columnsFromAvro } from './model/avro-columns';
export { planEvolution, type ExistingColumn, type SchemaChange } from './model/evolution';
export {
  defineTable,
  HISTORY_COLUMNS,
  LINEAGE_COLUMNS,
  OFFSETS_COLUMNS,
  OFFSETS_TABLE,
  warehouseModel,
  type ModelSchemas,
  type TableDefinition,
  type TableName,
  type WarehouseModel,
  type WriteMode,
} from './model/tables';
export { duckDbType } from './duckdb/duckdb-types';
export { openDuckDbWarehouse, type DuckDbWarehouseOptions } from './duckdb/duckdb-warehouse';
export { catalogType, snowflakeType } from './snowflake/snowflake-types';
export { openSnowflakeWarehouse } from './snowflake/snowflake-warehouse';
export type { SnowflakeAuth, SnowflakeWarehouseOptions } from './snowflake/snowflake-options';
