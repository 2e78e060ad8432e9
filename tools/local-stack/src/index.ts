export {
  acquireStack,
  ensureStack,
  findJava,
  stackDown,
  stackStatus,
  stackUp,
  type StackLease,
  type StackOptions,
  type StackUpResult,
} from './stack';
export type { ComponentState, ComponentStatus, StackEndpoints, StackStatus } from './status';
export type { StartTimings } from './start';
export type { StopResult } from './stop';
export type { StopOutcome } from './processes';
export type { JavaRuntime } from './java';
export { probeKafka, type KafkaBroker, type KafkaMetadata } from './kafka-probe';
export { waitFor, type WaitForOptions } from './wait-for';
export { standaloneKafka, type StandaloneKafka, type StandaloneKafkaOptions } from './standalone-kafka';
