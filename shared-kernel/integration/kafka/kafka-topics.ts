import type { Admin } from 'kafkajs';
import { UnavailableError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { topicRequests, type TopicSettings } from './kafka-connection';

/**
 * Creates the topics through the controller with their replication settings. librdkafka's mock
 * cluster has no addressable controller, so there the topics are left to the broker's
 * auto-creation on the first produce, and a warning says so. A broker that refuses the settings
 * themselves (more replicas than brokers) fails the connect as unavailable, naming the variable:
 * the mirror then waits, visibly in `/readyz`, instead of parking streams over a setting.
 */
export async function ensureTopics(
  admin: Admin,
  topics: readonly string[],
  settings: TopicSettings,
  logger: Logger | undefined,
): Promise<void> {
  try {
    const created = await admin.createTopics({
      topics: topicRequests(topics, settings),
      waitForLeaders: true,
    });
    if (created) await untilEveryBrokerKnows(admin, topics);
  } catch (error) {
    const refused = refusedSetting(error);
    if (refused) {
      throw new UnavailableError(
        `Kafka refused to create ${topics.join(', ')} with ${settings.replicationFactor} replicas, ` +
          `${settings.minInsyncReplicas} in sync (KAFKA_TOPIC_REPLICATION_FACTOR, ` +
          `KAFKA_TOPIC_MIN_INSYNC_REPLICAS): ${refused}`,
        5,
        { cause: error },
      );
    }
    logger?.warn('could not create integration topics; relying on broker auto-creation', {
      topics,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * Brokers learn of a new topic from the controller one by one; a produce whose metadata comes
 * from one that has not yet fails. Asking a few times (kafkajs picks a broker at random) for at
 * most two seconds covers that once, right after creation.
 */
async function untilEveryBrokerKnows(admin: Admin, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + 2000;
  for (let answers = 0; answers < 5 && Date.now() < deadline;) {
    try {
      const { topics: known } = await admin.fetchTopicMetadata({ topics: [...topics] });
      const led = known.every((t) => t.partitions.every((p) => p.leader >= 0));
      answers = led ? answers + 1 : 0;
    } catch {
      answers = 0;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const DEFAULT_TOPIC_SETTINGS: TopicSettings = {
  partitions: 3,
  replicationFactor: 3,
  minInsyncReplicas: 2,
};

const SETTING_ERRORS = new Set([
  'INVALID_REPLICATION_FACTOR',
  'INVALID_CONFIG',
  'POLICY_VIOLATION',
]);

/** The broker's reason when it refused the topics' settings, not the request as such. */
function refusedSetting(error: unknown): string | null {
  const errors = (error as { errors?: Array<{ type?: string; message?: string }> }).errors ?? [];
  const refusal = errors.find((e) => e.type !== undefined && SETTING_ERRORS.has(e.type));
  return refusal ? `${refusal.type}: ${refusal.message ?? ''}` : null;
}
