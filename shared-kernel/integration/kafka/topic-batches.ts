import type { Message, TopicMessages } from 'kafkajs';
import type { IntegrationMessage } from '../port';

/**
 * Splits a publish call into `sendBatch` requests of at most `maxMessages`, each grouped by
 * topic. Chunks are sent one after another and grouping keeps the call's order within a topic,
 * so the messages of one key (one partition) reach the broker in the order they were given.
 */
export function topicBatches(
  messages: readonly IntegrationMessage[],
  maxMessages: number,
): TopicMessages[][] {
  const batches: TopicMessages[][] = [];
  for (let start = 0; start < messages.length; start += maxMessages) {
    const byTopic = new Map<string, Message[]>();
    for (const message of messages.slice(start, start + maxMessages)) {
      let list = byTopic.get(message.topic);
      if (!list) byTopic.set(message.topic, (list = []));
      list.push(toKafkaMessage(message));
    }
    batches.push([...byTopic].map(([topic, list]) => ({ topic, messages: list })));
  }
  return batches;
}

function toKafkaMessage(message: IntegrationMessage): Message {
  return {
    key: message.key,
    value: JSON.stringify(message.value),
    headers: { ...message.headers },
  };
}
