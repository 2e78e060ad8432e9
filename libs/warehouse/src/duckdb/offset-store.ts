import { BIGINT, type DuckDBConnection, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { partitionKey, type Position } from '../model/offsets';
import { OFFSETS_TABLE } from '../model/tables';
import type { PartitionOffset } from '../warehouse';
import { quote } from './duckdb-types';

const TABLE = quote(OFFSETS_TABLE);

/** The stored next offsets of a consumer group, by partition key (see partitionKey). */
export async function storedOffsets(connection: DuckDBConnection, group: string): Promise<Map<string, number>> {
  const reader = await connection.runAndReadAll(
    `SELECT topic, "partition", next_offset FROM ${TABLE} WHERE consumer_group = $group`,
    { group },
  );
  return new Map(reader.getRows().map(([topic, partition, next]) => [partitionKey(String(topic), Number(partition)), Number(next)]));
}

export async function readOffsets(connection: DuckDBConnection, group: string, topic: string): Promise<PartitionOffset[]> {
  const reader = await connection.runAndReadAll(
    `SELECT "partition", next_offset FROM ${TABLE} WHERE consumer_group = $group AND topic = $topic ORDER BY "partition"`,
    { group, topic },
  );
  return reader.getRows().map(([partition, next]) => ({ topic, partition: Number(partition), nextOffset: String(next) }));
}

/**
 * Upserts the committed positions, one statement for all partitions. A position never moves backwards: committing
 * an older batch again (a replay the loader did not notice) must not make the next start re-read loaded records.
 */
export async function storeOffsets(
  connection: DuckDBConnection,
  group: string,
  positions: readonly Position[],
): Promise<void> {
  if (positions.length === 0) return;
  await connection.run(
    `INSERT INTO ${TABLE} (consumer_group, topic, "partition", next_offset)
       SELECT $group, unnest($topics), unnest($partitions), unnest($offsets)
     ON CONFLICT (consumer_group, topic, "partition")
       DO UPDATE SET next_offset = greatest(${TABLE}.next_offset, excluded.next_offset)`,
    {
      group,
      topics: listValue(positions.map((p) => p.topic)),
      partitions: listValue(positions.map((p) => p.partition)),
      offsets: listValue(positions.map((p) => BigInt(p.next))),
    },
    { group: VARCHAR, topics: LIST(VARCHAR), partitions: LIST(INTEGER), offsets: LIST(BIGINT) },
  );
}
