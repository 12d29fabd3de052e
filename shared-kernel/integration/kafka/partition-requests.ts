import { Partitioners, type Admin, type PartitionMetadata, type TopicMessages } from 'kafkajs';
import type { Logger } from '../../logging/logger';

/**
 * Splits one `sendBatch` worth of messages into one request per topic partition, each message
 * carrying the partition kafkajs's own partitioner (murmur2 of the key, as the Java client)
 * gives it, for every topic whose partition count is known; other topics stay in one request.
 *
 * Why: kafkajs 2.2.4 retries a `sendBatch` per broker. Before a retry it refreshes the metadata
 * and maps the partitions to their leaders again, then resends to the brokers that have not
 * answered. A partition that a broker had already acknowledged and whose leadership has since
 * moved to a broker that failed is sent again, with the sequence numbers after the acknowledged
 * ones, so the broker cannot tell it is a resend and stores every message twice: the likely
 * cause of the 71 to 152 copies of a 3,000-message run seen in CI under load (not reproduced
 * here). With one partition per request a retry can only resend the one batch that failed, with
 * its own sequence numbers, which the idempotent producer's broker drops if it has it.
 */
export function partitionRequests(
  chunk: readonly TopicMessages[],
  partitionCount: (topic: string) => number | undefined,
): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  const unsplit: TopicMessages[] = [];
  for (const { topic, messages } of chunk) {
    const count = partitionCount(topic);
    if (count === undefined || count < 1) {
      unsplit.push({ topic, messages });
      continue;
    }
    const metadata = partitionsOf(count);
    const byPartition = new Map<number, TopicMessages['messages']>();
    for (const message of messages) {
      const partition = partitioner({ topic, partitionMetadata: metadata, message });
      let list = byPartition.get(partition);
      if (!list) byPartition.set(partition, (list = []));
      list.push({ ...message, partition });
    }
    for (const list of byPartition.values()) requests.push([{ topic, messages: list }]);
  }
  if (unsplit.length > 0) requests.push(unsplit);
  return requests;
}

/**
 * The partition count of each topic the cluster names. A topic it leaves out (left to
 * auto-creation) or a refused request only means one request per broker for those topics, as
 * before: never a reason to fail the call.
 */
export async function partitionCounts(
  admin: Admin,
  topics: readonly string[],
  logger: Logger | undefined,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  try {
    const { topics: known } = await admin.fetchTopicMetadata({ topics: [...topics] });
    for (const { name, partitions } of known) {
      if (partitions.length > 0) counts.set(name, partitions.length);
    }
  } catch (error) {
    logger?.warn('no partition counts for integration topics; one request per broker', {
      topics,
      error: error instanceof Error ? error.message : String(error),
    });
  }
  return counts;
}

// Keyed messages only depend on the partition count (kafkajs: murmur2(key) % count).
const partitioner = Partitioners.DefaultPartitioner();

function partitionsOf(count: number): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));
}
