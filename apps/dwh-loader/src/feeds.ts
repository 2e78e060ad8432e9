import {
  nodeMetadataTopic,
  nodeMetricAggTopic,
  nodeMetricEnrichedTopic,
  topicName,
  type AnyTopicSpec,
} from '@meterline/schemas';
import { fatalError } from '@meterline/stream';
import type { TableName, TableRecords } from '@meterline/warehouse';

/** One topic loaded into one warehouse table. */
export interface Feed<T extends TableName = TableName> {
  readonly table: T;
  readonly topic: AnyTopicSpec;
  /** The table needs record keys: in a history table the key names the node a tombstone removes. */
  readonly keyed: boolean;
  /** The event time a row stands for (epoch ms): what the end-to-end lag is measured from. */
  eventTime(record: TableRecords[T]): number;
}

const feed = <T extends TableName>(f: Feed<T>): Feed => f as unknown as Feed;

/**
 * What dwh-loader loads. `features.node.v1` → `node_features` joins this list once feature-builder publishes it (and
 * libs/warehouse's model has the table, see `warehouseModel`): `feed({ table: 'node_features', topic:
 * nodeFeaturesTopic, keyed: false, eventTime: (r) => r.value.window_end })`. Nothing else here changes.
 */
export const FEEDS: readonly Feed[] = [
  feed({ table: 'fact_node_metric', topic: nodeMetricEnrichedTopic, keyed: false, eventTime: (r) => r.value.event_time }),
  // An aggregate covers its window up to the end: the newest loaded window end is how current the table is.
  feed({ table: 'agg_node_metric', topic: nodeMetricAggTopic, keyed: false, eventTime: (r) => r.value.window_end }),
  // A tombstone has no value; the broker's append time is when the node was seen removed.
  feed({ table: 'dim_node', topic: nodeMetadataTopic, keyed: true, eventTime: (r) => r.value?.updated_at ?? r.timestamp }),
];

/** The feed of each consumed topic name, under the run's topic prefix. */
export function feedsByTopic(feeds: readonly Feed[], prefix: string): ReadonlyMap<string, Feed> {
  const byTopic = new Map<string, Feed>();
  for (const f of feeds) {
    const name = topicName(f.topic, prefix);
    if (byTopic.has(name)) throw fatalError('DWH_FEEDS_INVALID', `two feeds read ${name}`);
    byTopic.set(name, f);
  }
  return byTopic;
}
