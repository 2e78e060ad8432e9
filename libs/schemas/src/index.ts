export * from './generated';
export type { AvroJson, AvroSchema, DataOf, VersionedSchema } from './versioned-schema';
export type {
  AnyTopicSpec,
  CleanupPolicy,
  DlqSpec,
  KeyOf,
  RecordValueOf,
  TopicSettings,
  TopicSpec,
  ValueOf,
} from './topic-spec';
export {
  enrichmentChangelogTopic,
  nodeMetadataTopic,
  nodeMetricAggTopic,
  nodeMetricEnrichedTopic,
  nodeMetricLateTopic,
  nodeMetricRawTopic,
  topicByName,
  topics,
} from './topics';
export { topicDeclarations, type TopicDeclaration } from './topic-declarations';
export { topicName } from './topic-name';
export { keySubject, valueSubject } from './subjects';
