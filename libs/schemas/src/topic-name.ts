import type { TopicSettings } from './topic-spec';

/**
 * The name to use on the broker: the catalog name behind an optional prefix (the service config's TOPIC_PREFIX), so
 * test runs and shared clusters get isolated copies of the whole topic set. The prefix is prepended as is; it carries
 * its own separator (`it-42.`).
 */
export const topicName = (topic: Pick<TopicSettings, 'name'>, prefix = ''): string => `${prefix}${topic.name}`;
