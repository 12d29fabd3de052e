import { expect } from 'chai';
import type { NewEvent, RecordedEvent } from '../../events/envelope';
import { newId } from '../../ids';
import type { AllSubscription, EventStore, SubscriptionMessage } from '../port';

/** Unique per call, so the suite can share a server (and its `$all`) with anything else. */
export function uniqueStreamId(prefix: string): string {
  return `${prefix}-${newId()}`;
}

export function newEvent(type = 'ThingHappened', data: unknown = { n: 1 }): NewEvent {
  return {
    eventId: newId(),
    type,
    data,
    metadata: {
      correlationId: newId(),
      causationId: null,
      actor: 'contract-suite',
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    },
  };
}

export function newEvents(count: number, type = 'ThingHappened'): NewEvent[] {
  return Array.from({ length: count }, (_, n) => newEvent(type, { n }));
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export async function readStreamIds(store: EventStore, streamId: string): Promise<string[]> {
  return (await collect(store.readStream(streamId))).map((event) => event.eventId);
}

/** Awaits `work` (which may also throw synchronously) and returns what it threw. */
export async function caught(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  expect.fail('expected an error, but the call succeeded');
}

/**
 * Pulls messages until `isDone` says so, failing (not hanging) after `timeoutMs`. Leaves the
 * subscription open, so a test can keep reading it.
 */
export async function pullUntil(
  subscription: AllSubscription,
  isDone: (received: SubscriptionMessage[]) => boolean,
  timeoutMs = 10_000,
): Promise<SubscriptionMessage[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  const received: SubscriptionMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!isDone(received)) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    const next = await Promise.race([iterator.next(), timeout]);
    clearTimeout(timer);
    if (next === 'timeout') {
      expect.fail(
        `subscription: condition not met after ${timeoutMs} ms (${received.length} messages)`,
      );
    }
    if (next.done) break;
    received.push(next.value);
  }
  return received;
}

/** The events among `messages` that belong to `streamIds`, in delivery order. */
export function eventsOf(messages: SubscriptionMessage[], streamIds: Set<string>): RecordedEvent[] {
  return messages.flatMap((message) =>
    message.kind === 'event' && streamIds.has(message.event.streamId) ? [message.event] : [],
  );
}

export function expectStrictlyIncreasing(positions: string[]): void {
  for (let i = 1; i < positions.length; i += 1) {
    expect(
      positions[i]! > positions[i - 1]!,
      `position ${i}: ${positions[i]} after ${positions[i - 1]}`,
    ).to.equal(true);
  }
}
