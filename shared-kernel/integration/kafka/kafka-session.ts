import { Kafka, Partitioners, type Admin, type Producer, type RetryOptions } from 'kafkajs';
import type { Logger } from '../../logging/logger';
import { kafkaSecurityOptions, type KafkaSecurity } from './kafka-connection';
import { kafkaLogCreator, kafkaLogLevel } from './log-bridge';

export interface KafkaSessionOptions {
  brokers: string[];
  clientId: string;
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
  retry: RetryOptions;
  idempotent: boolean;
  security?: KafkaSecurity;
  logger?: Logger;
}

/**
 * One kafkajs client with its producer and admin, connected on first use. The publisher
 * replaces a session it can no longer trust: kafkajs keeps per-broker locks and per-partition
 * sequence numbers that a request abandoned mid-flight or a producer id the brokers forgot
 * leave wrong for good, so every later produce fails the same way. A new session has a new
 * producer id and starts its sequences afresh.
 */
export interface KafkaSession {
  readonly producer: Producer;
  readonly admin: Admin;
  /** Connects the producer and the admin once; after a failed attempt the next call retries. */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

export function openKafkaSession(options: KafkaSessionOptions): KafkaSession {
  const { logger, retry } = options;
  const kafka = new Kafka({
    brokers: options.brokers,
    clientId: options.clientId,
    ...kafkaSecurityOptions(options.security),
    requestTimeout: options.requestTimeoutMs,
    // A paused broker accepts connections and never answers: only an enforced timeout ends it.
    enforceRequestTimeout: true,
    connectionTimeout: options.connectionTimeoutMs,
    retry,
    logLevel: kafkaLogLevel(logger),
    ...(logger ? { logCreator: kafkaLogCreator(logger) } : {}),
  });
  const producer = kafka.producer({
    // Retries stay bounded (a failing publish must reject, and the mirror resends the batch);
    // idempotence then makes the resend of a batch the broker already has a no-op. One request
    // in flight per broker keeps order per key across retries: nothing can overtake a resend.
    idempotent: options.idempotent,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
    // murmur2, as the Java client: a key lands on the same partition whoever produces it.
    createPartitioner: Partitioners.DefaultPartitioner,
    retry,
  });
  const admin = kafka.admin({ retry });
  let connected: Promise<void> | null = null;
  return {
    producer,
    admin,
    connect() {
      connected ??= Promise.all([producer.connect(), admin.connect()]).then(
        () => undefined,
        (error: unknown) => {
          connected = null; // the next call tries again
          throw error;
        },
      );
      return connected;
    },
    async disconnect() {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
  };
}
