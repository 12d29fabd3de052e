import { hostListVar, integerVar, stringVar } from '../config/env';
import type { Logger } from '../logging/logger';
import { createKafkaPublisher } from './kafka/kafka-publisher';
import { createOutboxPublisher } from './outbox/outbox-publisher';
import type { IntegrationPublisher } from './port';

/** The variables a process that publishes integration events reads (with `commonConfig`). */
export const integrationConfig = {
  kafkaBrokers: hostListVar('KAFKA_BROKERS'),
  kafkaClientId: stringVar('KAFKA_CLIENT_ID', 'strata'),
  kafkaRequestTimeoutMs: integerVar('KAFKA_REQUEST_TIMEOUT_MS', 5000, { min: 100, max: 120_000 }),
  kafkaTopicPartitions: integerVar('KAFKA_TOPIC_PARTITIONS', 3, { min: 1, max: 1000 }),
};

export interface IntegrationPublisherConfig {
  /** Set: Kafka at these brokers. Unset: the embedded outbox under `dataDir`. */
  kafkaBrokers: string[] | undefined;
  kafkaClientId: string;
  kafkaRequestTimeoutMs: number;
  kafkaTopicPartitions: number;
  dataDir: string;
}

/** The one place a process picks its integration publisher from configuration. */
export function openIntegrationPublisher(
  config: IntegrationPublisherConfig,
  logger: Logger,
): IntegrationPublisher {
  if (config.kafkaBrokers !== undefined) {
    logger.info('integration publisher: Kafka', { brokers: config.kafkaBrokers });
    return createKafkaPublisher({
      brokers: config.kafkaBrokers,
      clientId: config.kafkaClientId,
      requestTimeoutMs: config.kafkaRequestTimeoutMs,
      topicPartitions: config.kafkaTopicPartitions,
      logger,
    });
  }
  const publisher = createOutboxPublisher({ dataDir: config.dataDir });
  logger.info('integration publisher: embedded outbox', { file: publisher.file });
  return publisher;
}
