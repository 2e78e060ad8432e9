import { partitionKey, type Position } from '../model/offsets';
import { OFFSETS_TABLE } from '../model/tables';
import type { PartitionOffset } from '../warehouse';
import type { SnowflakeSession } from './snowflake-session';
import { quote } from './snowflake-types';

const TABLE = quote(OFFSETS_TABLE);
const [GROUP, TOPIC, PARTITION, NEXT] = ['consumer_group', 'topic', 'partition', 'next_offset'].map(quote) as [string, string, string, string];

/** The stored next offsets of a consumer group, by partition key (see partitionKey). */
export async function storedOffsets(session: SnowflakeSession, group: string): Promise<Map<string, number>> {
  const rows = await session.query(`SELECT ${TOPIC}, ${PARTITION}, ${NEXT} FROM ${TABLE} WHERE ${GROUP} = ?`, [group]);
  return new Map(rows.map((row) => [partitionKey(String(row['TOPIC']), Number(row['PARTITION'])), Number(row['NEXT_OFFSET'])]));
}

export async function readOffsets(session: SnowflakeSession, group: string, topic: string): Promise<PartitionOffset[]> {
  const rows = await session.query(`SELECT ${PARTITION}, ${NEXT} FROM ${TABLE} WHERE ${GROUP} = ? AND ${TOPIC} = ? ORDER BY ${PARTITION}`, [group, topic]);
  return rows.map((row) => ({ topic, partition: Number(row['PARTITION']), nextOffset: String(row['NEXT_OFFSET']) }));
}

/**
 * Upserts the committed positions in one MERGE. A position never moves backwards: committing an older batch again (a
 * replay the loader did not notice) must not make the next start re-read loaded records. The positions are bound one
 * value per placeholder, all in the source query (a consumer holds tens of partitions, not thousands).
 */
export async function storeOffsets(session: SnowflakeSession, group: string, positions: readonly Position[]): Promise<void> {
  if (positions.length === 0) return;
  const source = positions
    .map(() => `SELECT CAST(? AS VARCHAR) AS ${GROUP}, CAST(? AS VARCHAR) AS ${TOPIC}, CAST(? AS NUMBER(10,0)) AS ${PARTITION}, CAST(? AS NUMBER(19,0)) AS ${NEXT}`)
    .join(' UNION ALL ');
  await session.query(
    `MERGE INTO ${TABLE} AS t USING (${source}) AS s
       ON t.${GROUP} = s.${GROUP} AND t.${TOPIC} = s.${TOPIC} AND t.${PARTITION} = s.${PARTITION}
     WHEN MATCHED AND s.${NEXT} > t.${NEXT} THEN UPDATE SET ${NEXT} = s.${NEXT}
     WHEN NOT MATCHED THEN INSERT (${GROUP}, ${TOPIC}, ${PARTITION}, ${NEXT}) VALUES (s.${GROUP}, s.${TOPIC}, s.${PARTITION}, s.${NEXT})`,
    positions.flatMap((p) => [group, p.topic, String(p.partition), String(p.next)]),
  );
}
