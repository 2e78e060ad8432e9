import { topicName } from './topic-name';
import type { AnyTopicSpec } from './topic-spec';

// Confluent's TopicNameStrategy: serializers derive the subject from the topic a record is sent to, so a prefixed
// topic has prefixed subjects and isolated test runs register their schemas separately.

export const keySubject = (topic: AnyTopicSpec, prefix = ''): string => `${topicName(topic, prefix)}-key`;

export const valueSubject = (topic: AnyTopicSpec, prefix = ''): string => `${topicName(topic, prefix)}-value`;
