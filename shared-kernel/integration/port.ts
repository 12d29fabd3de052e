/**
 * The IntegrationPublisher port: how public integration events leave Strata (the contract and
 * its guarantees: docs/integration-events.md). Adapters: Kafka (kafkajs) and an embedded SQLite
 * outbox. Both keep the same promises, checked by contract/integration-publisher.contract.ts.
 */

/** The public topics, one per bounded context. */
export const INTEGRATION_TOPICS = {
  catalog: 'strata.catalog.v1',
  inventory: 'strata.inventory.v1',
  orders: 'strata.orders.v1',
} as const;

export type IntegrationTopic = (typeof INTEGRATION_TOPICS)[keyof typeof INTEGRATION_TOPICS];

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * CloudEvents 1.0 in binary mode (the Kafka protocol binding names the attributes `ce_*`); the
 * payload is the event's `data`. `ce_id` is the SOURCE event id, so a consumer can drop the
 * duplicates that at-least-once delivery allows.
 */
export interface CloudEventHeaders {
  ce_specversion: '1.0';
  ce_id: string;
  ce_source: string;
  /** For example `strata.catalog.ProductUpdated.v1`. */
  ce_type: string;
  /** ISO 8601 time the change happened in the domain. */
  ce_time: string;
  ce_subject: string;
  'content-type': 'application/json';
  /**
   * CloudEvents distributed-tracing extension: the trace the source event was appended in (absent
   * when it was recorded without tracing). The transport's own `traceparent` header is the
   * kafkajs instrumentation's (the context of the send), so the event's trace has its own name.
   */
  ce_traceparent?: string;
  ce_tracestate?: string;
}

export interface IntegrationMessage {
  topic: string;
  /** The aggregate id: Kafka keeps order per key (one partition per key). */
  key: string;
  value: JsonObject;
  headers: CloudEventHeaders;
}

export interface IntegrationPublisher {
  /**
   * Resolves once every message is durably accepted (Kafka: acknowledged by all in-sync
   * replicas; outbox: committed). Otherwise rejects (`UnavailableError` when retrying may
   * help, `ValidationError` for a malformed message, nothing written then). Delivery is
   * at-least-once: a retried call may deliver some messages twice.
   *
   * Order per key is kept within a call and across calls, which are served one at a time in
   * call order. A caller that sees a rejection must publish the same messages again before
   * newer ones (the Kafka mirror retries the batch without advancing its checkpoint).
   */
  publish(messages: readonly IntegrationMessage[]): Promise<void>;
  /** Resolves when the broker or file answers (for `/readyz`); rejects with `UnavailableError`. */
  ping(): Promise<void>;
  /** Flushes and releases connections or files; later publishes reject. */
  close(): Promise<void>;
}

/** The CloudEvents headers of one message; `type` is the full `ce_type`. */
export function cloudEventHeaders(attributes: {
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  trace?: { ce_traceparent?: string; ce_tracestate?: string };
}): CloudEventHeaders {
  return {
    ce_specversion: '1.0',
    ce_id: attributes.id,
    ce_source: attributes.source,
    ce_type: attributes.type,
    ce_time: attributes.time,
    ce_subject: attributes.subject,
    'content-type': 'application/json',
    ...attributes.trace,
  };
}
