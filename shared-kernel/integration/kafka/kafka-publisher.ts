import { CompressionTypes } from 'kafkajs';
import { withinDeadline } from '../../deadline';
import { StoreError, StrataError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { INTEGRATION_TOPICS, type IntegrationPublisher } from '../port';
import { validateMessages } from '../validate-messages';
import {
  produceTimeouts,
  publishBoundMs,
  type KafkaSecurity,
  type TopicSettings,
} from './kafka-connection';
import { lostProducerState, toPublisherError } from './kafka-errors';
import { openKafkaSession, type KafkaSession } from './kafka-session';
import { DEFAULT_TOPIC_SETTINGS, ensureTopics } from './kafka-topics';
import { partitionCounts, partitionRequests } from './partition-requests';
import { topicBatches } from './topic-batches';

/** Failed calls in a row after which the next call starts on a new kafkajs client. */
const FAILURES_BEFORE_NEW_SESSION = 3;

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
  const where = `Kafka (${brokers.join(',')})`;
  const sessionOptions = {
    brokers,
    clientId: options.clientId ?? 'strata',
    requestTimeoutMs: timeouts.requestTimeoutMs,
    connectionTimeoutMs: options.connectionTimeoutMs ?? 3000,
    retry,
    idempotent: options.idempotent ?? true,
    ...(options.security ? { security: options.security } : {}),
    ...(logger ? { logger } : {}),
  };
  const maxBatch = options.maxBatchMessages ?? 1000;
  const settings = { ...DEFAULT_TOPIC_SETTINGS, ...options.topicSettings };
  const declared = options.topics ?? Object.values(INTEGRATION_TOPICS);
  const idempotent = sessionOptions.idempotent;
  /** Topics created with Strata's settings (or left to auto-creation): never asked again. */
  const ensured = new Set<string>();
  /** Partitions per topic, for one request per partition (partition-requests.ts says why). */
  const partitionsOf = new Map<string, number>();
  const ensure = async ({ admin }: KafkaSession, topics: readonly string[]) => {
    const fresh = [...new Set(topics)].filter((topic) => !ensured.has(topic));
    if (fresh.length === 0) return;
    await ensureTopics(admin, fresh, settings, logger);
    if (idempotent) {
      for (const [topic, count] of await partitionCounts(admin, fresh, logger)) {
        partitionsOf.set(topic, count);
      }
    }
    for (const topic of fresh) ensured.add(topic);
  };

  const disconnect = (which: KafkaSession) =>
    withinDeadline(which.disconnect(), stageBoundMs, `${where} disconnect`).catch(() => undefined);
  let session: KafkaSession | null = null;
  let failuresInARow = 0;
  /** Replaced sessions still disconnecting; `close` waits for them (each bounded). */
  const retiring = new Set<Promise<void>>();
  const current = () => (session ??= openKafkaSession(sessionOptions));
  /**
   * The next call gets a new session. The old one is disconnected in the background: a request
   * of it may still land, but only as a late copy of a batch that the next call resends and
   * sees acknowledged before it sends anything newer, so the first copy of each message stays
   * in order per key (consumers drop the later copy by ce_id).
   */
  function retire(which: KafkaSession, why: string): void {
    if (session !== which) return;
    session = null;
    failuresInARow = 0;
    logger?.warn('Kafka client replaced: the next call connects afresh', { reason: why });
    const closing = disconnect(which);
    retiring.add(closing);
    void closing.then(() => retiring.delete(closing));
  }

  /**
   * kafkajs bounds each request, but a stage of a call (connect, topic check, a produce) may
   * retry several requests, and on a loaded machine its sum has no fixed ceiling; a request
   * lost inside kafkajs may never settle at all. Each stage is raced against our own timer, so
   * a call rejects within `stageBoundMs` per stage, and the session it ran on is replaced.
   */
  const bounded = <T>(which: KafkaSession, stage: Promise<T>): Promise<T> =>
    withinDeadline(stage, stageBoundMs, where, () =>
      retire(which, `a call ran past its ${stageBoundMs} ms bound`),
    );

  /** One call at a time, in call order: a later call must never overtake an earlier one. */
  let queue: Promise<unknown> = Promise.resolve();
  function serially<T>(task: (which: KafkaSession) => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      const which = current();
      try {
        const result = await task(which);
        failuresInARow = 0;
        return result;
      } catch (error) {
        // The brokers forgot this producer or its sequence numbers (a broker restarted, a
        // resend after a lost answer): this session would fail the same way for good. Past a
        // few failures in a row, whatever kafkajs holds of the cluster is not trusted either.
        if (lostProducerState(error) || ++failuresInARow >= FAILURES_BEFORE_NEW_SESSION) {
          retire(which, String(error));
        }
        throw error;
      }
    });
    queue = run.catch(() => undefined);
    return run.catch((error: unknown) => {
      throw error instanceof StrataError ? error : toPublisherError(error, brokers);
    });
  }
  let closed = false;

  return {
    // Async so a bad call rejects rather than throws; it still queues synchronously, in order.
    async publish(messages) {
      if (closed) throw new StoreError('the Kafka integration publisher is closed');
      validateMessages(messages);
      return serially(async (which) => {
        if (messages.length === 0) return;
        await bounded(which, which.connect());
        // A topic named for the first time gets Strata's replication, not the broker default.
        const topics = messages.map((message) => message.topic);
        await bounded(which, ensure(which, [...declared, ...topics]));
        for (const chunk of topicBatches(messages, maxBatch)) {
          const requests = idempotent
            ? partitionRequests(chunk, (topic) => partitionsOf.get(topic))
            : [chunk];
          // Partitions are independent; the next chunk waits for every request of this one, so
          // nothing of a later chunk (or call) can overtake a message of this one.
          const sent = await Promise.allSettled(
            requests.map((topicMessages) =>
              bounded(
                which,
                which.producer.sendBatch({
                  topicMessages,
                  acks: -1,
                  timeout: timeouts.ackTimeoutMs,
                  compression: CompressionTypes.None,
                }),
              ),
            ),
          );
          const failed = sent.find((outcome) => outcome.status === 'rejected');
          if (failed) throw failed.reason;
        }
      });
    },
    async ping() {
      if (closed) throw new StoreError('the Kafka integration publisher is closed');
      return serially(async (which) => {
        await bounded(which, which.connect());
        await bounded(which, ensure(which, declared));
        await bounded(which, which.admin.describeCluster());
      });
    },
    async close() {
      closed = true;
      await queue;
      const last = session;
      session = null;
      await Promise.all([...retiring, last && disconnect(last)]);
    },
  };
}
