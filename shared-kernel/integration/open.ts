import { readFileSync } from 'node:fs';
import {
  booleanVar,
  hostListVar,
  integerVar,
  optionalOneOfVar,
  optionalStringVar,
  readableFileVar,
  secretVar,
  stringVar,
  type ConfigOf,
} from '../config/env';
import { ConfigError } from '../errors';
import type { Logger } from '../logging/logger';
import type { KafkaSecurity } from './kafka/kafka-connection';
import { openKafkaPublisher } from './kafka/kafka-publisher';
import { openOutboxPublisher } from './outbox/outbox-publisher';
import type { IntegrationPublisher } from './port';

/** The variables a process that publishes integration events reads (with `commonConfig`). */
export const integrationConfig = {
  kafkaBrokers: hostListVar('KAFKA_BROKERS'),
  kafkaClientId: stringVar('KAFKA_CLIENT_ID', 'strata'),
  kafkaRequestTimeoutMs: integerVar('KAFKA_REQUEST_TIMEOUT_MS', 5000, { min: 100, max: 120_000 }),
  kafkaTopicPartitions: integerVar('KAFKA_TOPIC_PARTITIONS', 3, { min: 1, max: 1000 }),
  kafkaReplicationFactor: integerVar('KAFKA_TOPIC_REPLICATION_FACTOR', 3, { min: 1, max: 32 }),
  kafkaMinInsyncReplicas: integerVar('KAFKA_TOPIC_MIN_INSYNC_REPLICAS', 2, { min: 1, max: 32 }),
  kafkaIdempotent: booleanVar('KAFKA_IDEMPOTENT', true),
  kafkaSsl: booleanVar('KAFKA_SSL', false),
  kafkaSslCaFile: readableFileVar('KAFKA_SSL_CA_FILE'),
  kafkaSaslMechanism: optionalOneOfVar('KAFKA_SASL_MECHANISM', [
    'plain',
    'scram-sha-256',
    'scram-sha-512',
  ] as const),
  kafkaSaslUsername: optionalStringVar('KAFKA_SASL_USERNAME'),
  kafkaSaslPassword: secretVar('KAFKA_SASL_PASSWORD', 'the SASL password'),
};

export type IntegrationPublisherConfig = ConfigOf<typeof integrationConfig> & {
  /** Where the embedded outbox lives when no brokers are set. */
  dataDir: string;
};

/** The one place a process picks its integration publisher from configuration. */
export function openIntegrationPublisher(
  config: IntegrationPublisherConfig,
  logger: Logger,
): IntegrationPublisher {
  if (config.kafkaBrokers !== undefined) {
    const security = kafkaSecurityOf(config);
    logger.info('integration publisher: Kafka', {
      brokers: config.kafkaBrokers,
      tls: security.tls !== undefined,
      sasl: security.sasl?.mechanism ?? 'none',
      idempotent: config.kafkaIdempotent,
    });
    return openKafkaPublisher({
      brokers: config.kafkaBrokers,
      clientId: config.kafkaClientId,
      requestTimeoutMs: config.kafkaRequestTimeoutMs,
      topicSettings: topicSettingsOf(config),
      idempotent: config.kafkaIdempotent,
      security,
      logger,
    });
  }
  const publisher = openOutboxPublisher({ dataDir: config.dataDir });
  logger.info('integration publisher: embedded outbox', { file: publisher.file });
  return publisher;
}

function topicSettingsOf(config: IntegrationPublisherConfig) {
  if (config.kafkaMinInsyncReplicas > config.kafkaReplicationFactor) {
    throw new ConfigError(
      `KAFKA_TOPIC_MIN_INSYNC_REPLICAS: ${config.kafkaMinInsyncReplicas} is more than ` +
        `KAFKA_TOPIC_REPLICATION_FACTOR (${config.kafkaReplicationFactor}): no write could succeed`,
    );
  }
  return {
    partitions: config.kafkaTopicPartitions,
    replicationFactor: config.kafkaReplicationFactor,
    minInsyncReplicas: config.kafkaMinInsyncReplicas,
  };
}

/** TLS when asked for (a CA file implies it), SASL when a mechanism is named with its user. */
function kafkaSecurityOf(config: IntegrationPublisherConfig): KafkaSecurity {
  const security: KafkaSecurity = {};
  if (config.kafkaSsl || config.kafkaSslCaFile !== undefined) {
    security.tls = config.kafkaSslCaFile ? { ca: readFileSync(config.kafkaSslCaFile, 'utf8') } : {};
  }
  const { kafkaSaslMechanism: mechanism, kafkaSaslUsername: username } = config;
  const password = config.kafkaSaslPassword;
  if (mechanism === undefined) {
    if (username !== undefined || password !== undefined) {
      throw new ConfigError(
        'KAFKA_SASL_MECHANISM: required with KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD ' +
          '(plain, scram-sha-256 or scram-sha-512)',
      );
    }
    return security;
  }
  if (username === undefined || password === undefined) {
    throw new ConfigError(
      `KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: both required with KAFKA_SASL_MECHANISM=${mechanism}`,
    );
  }
  security.sasl = { mechanism, username, password };
  return security;
}
