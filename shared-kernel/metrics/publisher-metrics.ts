import { Counter, type Registry } from 'prom-client';
import type { IntegrationPublisher } from '../integration/port';

/**
 * The publisher, counting messages acknowledged and messages in failed calls, by topic. A failed
 * call is retried whole by the mirror, so `failed` counts attempts, not lost messages.
 */
export function countingPublisher(
  publisher: IntegrationPublisher,
  registry: Registry,
): IntegrationPublisher {
  const produced = new Counter({
    name: 'strata_integration_messages_produced_total',
    help: 'Integration messages acknowledged by Kafka (or committed to the outbox), by topic',
    labelNames: ['topic'] as const,
    registers: [registry],
  });
  const failed = new Counter({
    name: 'strata_integration_messages_failed_total',
    help: 'Integration messages in publish calls that failed (they are retried), by topic',
    labelNames: ['topic'] as const,
    registers: [registry],
  });
  const countBy = (counter: Counter<'topic'>, messages: readonly { topic: string }[]) => {
    const perTopic = new Map<string, number>();
    for (const { topic } of messages) perTopic.set(topic, (perTopic.get(topic) ?? 0) + 1);
    for (const [topic, count] of perTopic) counter.inc({ topic }, count);
  };
  return {
    async publish(messages) {
      try {
        await publisher.publish(messages);
      } catch (error) {
        countBy(failed, messages);
        throw error;
      }
      countBy(produced, messages);
    },
    ping: () => publisher.ping(),
    close: () => publisher.close(),
  };
}
