import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '../../ids';
import { cloudEventHeaders, type IntegrationMessage, type IntegrationPublisher } from '../port';

/**
 * `count` messages spread round-robin over `keyCount` keys and the given topics; each value
 * carries its place in its key's sequence, so a reordering is visible in the data too.
 */
export function makeMessages(
  topics: readonly string[],
  count: number,
  keyCount: number,
): IntegrationMessage[] {
  const perKey = new Map<string, number>();
  const messages: IntegrationMessage[] = [];
  for (let n = 0; n < count; n++) {
    const topic = topics[n % topics.length] as string;
    const key = `aggregate-${(n * 7919) % keyCount}`;
    const sequence = perKey.get(`${topic}/${key}`) ?? 0;
    perKey.set(`${topic}/${key}`, sequence + 1);
    const id = newId();
    messages.push({
      topic,
      key,
      value: { n, sequence, label: `Ünïcødé ✓ ${n}`, nested: { list: [n, null, true] } },
      headers: cloudEventHeaders({
        id,
        source: '/strata/contract-test',
        type: 'strata.test.SomethingHappened.v1',
        time: new Date(Date.UTC(2026, 0, 1, 0, 0, n % 60)).toISOString(),
        subject: key,
      }),
    });
  }
  return messages;
}

export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

export interface FailedAttempt {
  error: Error;
  durationMs: number;
}

/**
 * What the Kafka mirror does with a batch: publish it again until it is accepted, never
 * moving on to the next one first. Records every failed attempt and how long it took to fail.
 */
export async function publishUntilAccepted(
  publisher: IntegrationPublisher,
  batch: readonly IntegrationMessage[],
  failures: FailedAttempt[],
  { maxAttempts = 100, delayMs = 100 } = {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    try {
      await publisher.publish(batch);
      return;
    } catch (error) {
      failures.push({ error: error as Error, durationMs: Date.now() - started });
      if (attempt >= maxAttempts) throw error;
      await sleep(delayMs);
    }
  }
}
