import { CompressionTypes, Kafka, Partitioners, type Admin } from 'kafkajs';
import { StoreError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { INTEGRATION_TOPICS, type IntegrationPublisher } from '../port';
import { validateMessages } from '../validate-messages';
import { toPublisherError } from './kafka-errors';
import { kafkaLogCreator, kafkaLogLevel } from './log-bridge';
import { topicBatches } from './topic-batches';

export interface KafkaPublisherOptions {
  brokers: string[];
  clientId?: string;
  /** One request's bound; with `retries` it bounds how long a failing publish takes. */
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** kafkajs's own retries of a failed request before the publish rejects. */
  retries?: number;
  /** Topics created (or, where no controller answers, left to auto-creation) on connect. */
  topics?: readonly string[];
  topicPartitions?: number;
  maxBatchMessages?: number;
  logger?: Logger;
}

/**
 * The Kafka adapter (kafkajs 2.2.4, which is frozen upstream, hence kept behind the port).
 * Connects lazily, so a worker starts while the broker is still down and its publishes fail
 * with `UnavailableError` until the broker answers.
 */
export function createKafkaPublisher(options: KafkaPublisherOptions): IntegrationPublisher {
  const { brokers, logger } = options;
  const retries = options.retries ?? 2;
  const retry = { retries, initialRetryTime: 100, maxRetryTime: 1000 };
  const kafka = new Kafka({
    brokers,
    clientId: options.clientId ?? 'strata',
    requestTimeout: options.requestTimeoutMs ?? 5000,
    // A paused broker accepts connections and never answers: only an enforced timeout ends it.
    enforceRequestTimeout: true,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    retry,
    logLevel: kafkaLogLevel(logger),
    ...(logger ? { logCreator: kafkaLogCreator(logger) } : {}),
  });
  const producer = kafka.producer({
    // Not idempotent: librdkafka's mock cluster (our test broker) cannot serve the idempotent
    // producer's InitProducerId. One request in flight per broker is what keeps order per key
    // when kafkajs retries a failed request: nothing sent after it can overtake it.
    idempotent: false,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
    // murmur2, as the Java client: a key lands on the same partition whoever produces it.
    createPartitioner: Partitioners.DefaultPartitioner,
    retry,
  });
  const admin = kafka.admin({ retry });
  const maxBatch = options.maxBatchMessages ?? 1000;
  let connected: Promise<void> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  function connect(): Promise<void> {
    connected ??= (async () => {
      await Promise.all([producer.connect(), admin.connect()]);
      await ensureTopics(admin, options, logger);
    })().catch((error: unknown) => {
      connected = null; // the next call tries again
      throw error;
    });
    return connected;
  }

  /** One call at a time, in call order: a later call must never overtake an earlier one. */
  function serially<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(() =>
      task().catch((error: unknown) => {
        throw error instanceof StoreError ? error : toPublisherError(error, brokers);
      }),
    );
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    // Async so a bad call rejects rather than throws; it still queues synchronously, in order.
    async publish(messages) {
      if (closed) throw new StoreError('the Kafka integration publisher is closed');
      validateMessages(messages);
      return serially(async () => {
        if (messages.length === 0) return;
        await connect();
        for (const topicMessages of topicBatches(messages, maxBatch)) {
          await producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
        }
      });
    },
    async ping() {
      if (closed) throw new StoreError('the Kafka integration publisher is closed');
      return serially(async () => {
        await connect();
        await admin.describeCluster();
      });
    },
    async close() {
      closed = true;
      await queue;
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
  };
}

/**
 * Creates the topics through the controller. librdkafka's mock cluster has no addressable
 * controller, so there (and wherever creation is refused) the topics are left to the broker's
 * auto-creation on the first produce, and a warning says so.
 */
async function ensureTopics(
  admin: Admin,
  options: KafkaPublisherOptions,
  logger: Logger | undefined,
): Promise<void> {
  const topics = options.topics ?? Object.values(INTEGRATION_TOPICS);
  if (topics.length === 0) return;
  const numPartitions = options.topicPartitions ?? 3;
  try {
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions })),
      waitForLeaders: true,
    });
  } catch (error) {
    logger?.warn('could not create integration topics; relying on broker auto-creation', {
      topics,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
