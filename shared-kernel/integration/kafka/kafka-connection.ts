import type { KafkaConfig, SASLOptions } from 'kafkajs';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** How the client reaches the brokers beyond host:port: TLS, and SASL credentials. */
export interface KafkaSecurity {
  /** TLS to the brokers; `ca` (PEM) replaces the system's trusted CAs when given. */
  tls?: { ca?: string };
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
}

/** The kafkajs connection options for `security` (none: plaintext, unauthenticated). */
export function kafkaSecurityOptions(
  security: KafkaSecurity = {},
): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const options: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (security.tls) options.ssl = security.tls.ca ? { ca: [security.tls.ca] } : true;
  if (security.sasl) {
    const { mechanism, username, password } = security.sasl;
    options.sasl = { mechanism, username, password } as SASLOptions;
  }
  return options;
}

export interface ProduceTimeouts {
  /** The client's bound on one request (kafkajs `requestTimeout`). */
  requestTimeoutMs: number;
  /**
   * How long the leader waits for the in-sync replicas before it answers (the produce request's
   * `timeout`, 30 s by default). It stays below the request timeout: otherwise a slow
   * acknowledgement makes the client give up and resend what the broker may still commit.
   */
  ackTimeoutMs: number;
}

export function produceTimeouts(requestTimeoutMs: number): ProduceTimeouts {
  return { requestTimeoutMs, ackTimeoutMs: Math.max(50, Math.floor(requestTimeoutMs * 0.8)) };
}

/**
 * How long one stage of a publish or ping (connect, topic check, one produce) may take before
 * the call rejects: every attempt of one request with the longest wait between them. kafkajs
 * may retry several requests within a stage, so alone it could take a multiple of this.
 */
export function publishBoundMs(
  requestTimeoutMs: number,
  retry: { retries: number; maxRetryTime: number },
): number {
  return (retry.retries + 1) * requestTimeoutMs + retry.retries * retry.maxRetryTime;
}

export interface TopicSettings {
  partitions: number;
  /** Copies of each partition; 3 in production, 1 on a one-broker development cluster. */
  replicationFactor: number;
  /** Copies that must have a write before `acks=-1` is answered; 2 with 3 replicas. */
  minInsyncReplicas: number;
}

/** The createTopics request for Strata's topics. */
export function topicRequests(topics: readonly string[], settings: TopicSettings) {
  return topics.map((topic) => ({
    topic,
    numPartitions: settings.partitions,
    replicationFactor: settings.replicationFactor,
    configEntries: [{ name: 'min.insync.replicas', value: String(settings.minInsyncReplicas) }],
  }));
}
