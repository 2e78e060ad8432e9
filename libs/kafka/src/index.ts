export { createKafka, type KafkaClientOptions } from './kafka-client';
export type { Kafka, Admin, IHeaders, Producer } from 'kafkajs';
export { SchemaRegistryClient, type AvroSchema, type RegistryOptions } from './schema-registry';
export { AvroSerde, type Decoded } from './avro-serde';
export { frame, unframe, MAGIC_BYTE } from './wire-format';
export { describeTopic, openTopic, type RecordValue, type TopicDescription, type TopicHandle } from './topic-handle';
export { AvroProducer, emit, encodeEmit, groupByTopic, type AvroProducerOptions, type Emit, type EncodedBatch } from './producer';
export { TransactionalBatcher, type TransactionalBatcherOptions } from './transactional-batcher';
export { DlqWriter, deadLetterHeaders, type DeadLetter } from './dlq-writer';
export { kafkaSink, type Sink } from './sink';
export { ConsumerRunner, type ConsumerRunnerOptions, type RunnerState } from './consumer-runner';
export type { ConsumedRecord, RecordContext } from './consumed-record';
export { ensureTopics, type TopicSettings } from './topic-admin';
export { withRetry, DEFAULT_RETRY, type RetryPolicy } from './retry';
export { classifyKafkaError } from './kafka-errors';
export { kafkaReachable, registryReachable } from './readiness';
export type { Log } from './log';
export { readRawMessages, type RawMessage } from './raw-reader';
export { readRecords } from './read-records';
export { TableReader, type TableReaderOptions } from './table-reader';
export {
  TransactionalRunner,
  type PartitionTask,
  type TaskOutput,
  type TransactionalRunnerOptions,
} from './transactional-runner';
export { readPartitions, type ReadPartitionsOptions } from './partition-reader';
export { endOffsets, partitionLags } from './end-offsets';
export {
  ExternalOffsetsConsumer,
  type BatchControl,
  type ExternalOffsetsConsumerOptions,
  type PartitionBatch,
  type StoredPosition,
} from './external-offsets-consumer';
export { EvolvingDecoder, type DecodedValues, type SchemaUpgrade } from './evolving-decoder';
export { fetchSchemaById, latestVersionOf, subjectVersionOf } from './schema-lookup';
