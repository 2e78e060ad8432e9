import { topicName } from './topic-name';
import type { TopicSettings } from './topic-spec';
import { topics } from './topics';

/** A topic as the admin client creates it: name, partition count and every config it is created with. */
export interface TopicDeclaration {
  readonly name: string;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
}

const declaration = (settings: TopicSettings, prefix: string): TopicDeclaration => ({
  name: topicName(settings, prefix),
  partitions: settings.partitions,
  configs: {
    'cleanup.policy': settings.cleanupPolicy,
    'retention.ms': String(settings.retentionMs),
    ...settings.configs,
  },
});

/** Every topic and its dead-letter topic, as start-up creates them (idempotently) before consuming or producing. */
export const topicDeclarations = (prefix = ''): TopicDeclaration[] =>
  topics.flatMap((topic) => [declaration(topic, prefix), declaration(topic.dlq, prefix)]);
