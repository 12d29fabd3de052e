import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { newId } from '../../shared-kernel/ids';
import { kcatHeaders, readTopicWithKcat } from './kafka-mock-broker';
import type { DeliveredMessage } from '../../shared-kernel/integration/contract/delivery-check';
import type { DeliveryReader } from '../../shared-kernel/integration/contract/integration-publisher.contract';
import type { JsonObject } from '../../shared-kernel/integration/port';

/**
 * The two independent consumers the Kafka contract run reads back with: a kafkajs consumer
 * group (what a Strata-side service would use) and kcat (librdkafka, a different client).
 */
export function consumerGroupReader(brokers: string[], patienceMs = 30_000): DeliveryReader {
  return async (topics, awaited) => {
    const kafka = new Kafka({ brokers, clientId: 'contract-reader', logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `contract-${newId()}` });
    const delivered: DeliveredMessage[] = [];
    const missing = new Set(awaited);
    // A group that rebalances (a join or a heartbeat late on a loaded machine) hands the same
    // records out again from its last committed offset: copies in this reader, not on the topic.
    // A copy the publisher wrote has an offset of its own and is still counted.
    const seenOffsets = new Set<string>();
    let allArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (allArrived = resolve));
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [...topics], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          const at = `${topic}/${partition}/${message.offset}`;
          if (seenOffsets.has(at)) return;
          seenOffsets.add(at);
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) {
            headers[name] = String(value);
          }
          const value = JSON.parse(message.value?.toString() ?? 'null') as JsonObject;
          delivered.push({ topic, key: message.key?.toString() ?? null, headers, value });
          missing.delete(headers.ce_id ?? '');
          if (missing.size === 0) allArrived();
        },
      });
      if (missing.size > 0) {
        const patience = new AbortController();
        const givenUp = sleep(patienceMs, undefined, { signal: patience.signal }).catch(() => {});
        await Promise.race([arrived, givenUp]);
        patience.abort(); // a pending timer would keep mocha's process alive
      }
      await sleep(300); // let late duplicates in, so they are counted too
    } finally {
      await consumer.disconnect();
    }
    return delivered;
  };
}

export function kcatReader(brokers: string[]): DeliveryReader {
  return async (topics) => {
    const delivered: DeliveredMessage[] = [];
    for (const topic of topics) {
      for (const record of await readTopicWithKcat(brokers, topic)) {
        const value = JSON.parse(record.payload ?? 'null') as JsonObject;
        delivered.push({ topic, key: record.key, headers: kcatHeaders(record), value });
      }
    }
    return delivered;
  };
}
