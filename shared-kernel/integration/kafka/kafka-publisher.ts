import { CompressionTypes, Kafka, Partitioners, type Admin } from 'kafkajs';
import { withinDeadline } from '../../deadline';
import { StoreError, StrataError, UnavailableError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { INTEGRATION_TOPICS, type IntegrationPublisher } from '../port';
import { validateMessages } from '../validate-messages';
import {
  kafkaSecurityOptions,
  produceTimeouts,
  publishBoundMs,
  topicRequests,
  type KafkaSecurity,
  type TopicSettings,
} from './kafka-connection';
import { toPublisherError } from './kafka-errors';
import { kafkaLogCreator, kafkaLogLevel } from './log-bridge';
import { topicBatches } from './topic-batches';

export interface KafkaPublisherOptions {
  brokers: string[];
  clientId?: string;
  /** One request's bound; with `retries` it gives a call stage's bound (publishBoundMs). */
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** kafkajs's own retries of a failed request before the publish rejects. */
  retries?: number;
  /** Topics created (or, where no controller answers, left to auto-creation) on connect. */
  topics?: readonly string[];
  /** Defaults: 3 partitions, 3 replicas, 2 in sync (the production default). */
  topicSettings?: Partial<TopicSettings>;
  /**
   * The idempotent producer (default): the broker drops a resent batch it already has, so a
   * retry after a lost answer writes nothing twice. Off only for librdkafka's mock broker,
   * which cannot serve InitProducerId.
   */
  idempotent?: boolean;
  security?: KafkaSecurity;
  maxBatchMessages?: number;
  logger?: Logger;
}

/**
 * The Kafka adapter (kafkajs 2.2.4, which is frozen upstream, hence kept behind the port).
 * Connects lazily, so a worker starts while the broker is still down and its publishes fail
 * with `UnavailableError` until the broker answers.
 */
export function openKafkaPublisher(options: KafkaPublisherOptions): IntegrationPublisher {
  const { brokers, logger } = options;
  const retries = options.retries ?? 2;
  const retry = { retries, initialRetryTime: 100, maxRetryTime: 1000 };
  const timeouts = produceTimeouts(options.requestTimeoutMs ?? 5000);
  const stageBoundMs = publishBoundMs(timeouts.requestTimeoutMs, retry);
  const kafka = new Kafka({
    brokers,
    clientId: options.clientId ?? 'strata',
    ...kafkaSecurityOptions(options.security),
    requestTimeout: timeouts.requestTimeoutMs,
    // A paused broker accepts connections and never answers: only an enforced timeout ends it.
    enforceRequestTimeout: true,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    retry,
    logLevel: kafkaLogLevel(logger),
    ...(logger ? { logCreator: kafkaLogCreator(logger) } : {}),
  });
  const producer = kafka.producer({
    // Retries stay bounded (a failing publish must reject, and the mirror resends the batch);
    // idempotence then makes the resend of a batch the broker already has a no-op. One request
    // in flight per broker keeps order per key across retries: nothing can overtake a resend.
    idempotent: options.idempotent ?? true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
    // murmur2, as the Java client: a key lands on the same partition whoever produces it.
    createPartitioner: Partitioners.DefaultPartitioner,
    retry,
  });
  const admin = kafka.admin({ retry });
  const maxBatch = options.maxBatchMessages ?? 1000;
  const settings = { ...DEFAULT_TOPIC_SETTINGS, ...options.topicSettings };
  /** Topics created with Strata's settings (or left to auto-creation): never asked again. */
  const ensured = new Set<string>();
  const ensure = async (topics: readonly string[]) => {
    const fresh = [...new Set(topics)].filter((topic) => !ensured.has(topic));
    if (fresh.length === 0) return;
    await ensureTopics(admin, fresh, settings, logger);
    for (const topic of fresh) ensured.add(topic);
  };
  let connected: Promise<void> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  function connect(): Promise<void> {
    connected ??= (async () => {
      await Promise.all([producer.connect(), admin.connect()]);
      await ensure(options.topics ?? Object.values(INTEGRATION_TOPICS));
    })().catch((error: unknown) => {
      connected = null; // the next call tries again
      throw error;
    });
    return connected;
  }

  /**
   * kafkajs bounds each request, but a stage of a call (connect, topic check, a produce) may
   * retry several requests, and on a loaded machine its sum has no fixed ceiling. Each stage is
   * raced against our own timer, so a call rejects within `stageBoundMs` per stage. A stage
   * abandoned at its bound is a straggler: the next call waits for it, so nothing overtakes it.
   */
  let stragglers: Promise<unknown>[] = [];
  const bounded = <T>(stage: Promise<T>): Promise<T> =>
    withinDeadline(stage, stageBoundMs, `Kafka (${brokers.join(',')})`, () =>
      stragglers.push(stage),
    );

  /** One call at a time, in call order: a later call must never overtake an earlier one. */
  function serially<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task);
    queue = run
      .catch(() => undefined)
      .then(async () => {
        const waiting = stragglers;
        stragglers = [];
        await Promise.allSettled(waiting);
      });
    return run.catch((error: unknown) => {
      throw error instanceof StrataError ? error : toPublisherError(error, brokers);
    });
  }

  return {
    // Async so a bad call rejects rather than throws; it still queues synchronously, in order.
    async publish(messages) {
      if (closed) throw new StoreError('the Kafka integration publisher is closed');
      validateMessages(messages);
      return serially(async () => {
        if (messages.length === 0) return;
        await bounded(connect());
        // A topic named for the first time gets Strata's replication, not the broker default.
        await bounded(ensure(messages.map((message) => message.topic)));
        for (const topicMessages of topicBatches(messages, maxBatch)) {
          await bounded(
            producer.sendBatch({
              topicMessages,
              acks: -1,
              timeout: timeouts.ackTimeoutMs,
              compression: CompressionTypes.None,
            }),
          );
        }
      });
    },
    async ping() {
      if (closed) throw new StoreError('the Kafka integration publisher is closed');
      return serially(async () => {
        await bounded(connect());
        await bounded(admin.describeCluster());
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
 * Creates the topics through the controller with their replication settings. librdkafka's mock
 * cluster has no addressable controller, so there the topics are left to the broker's
 * auto-creation on the first produce, and a warning says so. A broker that refuses the settings
 * themselves (more replicas than brokers) fails the connect as unavailable, naming the variable:
 * the mirror then waits, visibly in `/readyz`, instead of parking streams over a setting.
 */
async function ensureTopics(
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
