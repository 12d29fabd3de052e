import type { IntegrationMessage, JsonObject } from '../port';

/** A message as a consumer saw it, in the order it saw it (per partition). */
export interface DeliveredMessage {
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  value: JsonObject;
}

export interface DeliveryReport {
  delivered: number;
  /** ce_ids published but never delivered. */
  missing: string[];
  /** Deliveries beyond the first of a ce_id (allowed by at-least-once, but counted). */
  duplicates: number;
  /** Deliveries whose ce_id was never published (or whose body differs from what was). */
  unexpected: string[];
  /** `topic/key`s whose first deliveries are not in publish order. */
  outOfOrder: string[];
}

/**
 * Compares what consumers saw with what was published (each message once, in publish order).
 * Order per key is judged on each ce_id's FIRST delivery: a redelivered duplicate may show up
 * later, and consumers drop it by ce_id, so it cannot reorder what they act on.
 */
export function checkDelivery(
  published: readonly IntegrationMessage[],
  delivered: readonly DeliveredMessage[],
): DeliveryReport {
  const byId = new Map(published.map((m) => [m.headers.ce_id, m]));
  const seen = new Set<string>();
  const firstOrder = new Map<string, string[]>();
  const unexpected: string[] = [];
  let duplicates = 0;
  for (const message of delivered) {
    const id = message.headers.ce_id ?? '(no ce_id)';
    const original = byId.get(id);
    if (!original || !sameMessage(original, message)) {
      unexpected.push(id);
      continue;
    }
    if (seen.has(id)) {
      duplicates += 1;
      continue;
    }
    seen.add(id);
    listFor(firstOrder, `${message.topic}/${message.key}`).push(id);
  }
  const expectedOrder = new Map<string, string[]>();
  for (const m of published) listFor(expectedOrder, `${m.topic}/${m.key}`).push(m.headers.ce_id);
  const outOfOrder: string[] = [];
  for (const [stream, ids] of firstOrder) {
    const expected = (expectedOrder.get(stream) ?? []).filter((id) => seen.has(id));
    if (expected.join() !== ids.join()) outOfOrder.push(stream);
  }
  const missing = published.map((m) => m.headers.ce_id).filter((id) => !seen.has(id));
  return { delivered: delivered.length, missing, duplicates, unexpected, outOfOrder };
}

function listFor(map: Map<string, string[]>, key: string): string[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function sameMessage(original: IntegrationMessage, seen: DeliveredMessage): boolean {
  return (
    original.topic === seen.topic &&
    original.key === seen.key &&
    JSON.stringify(original.value) === JSON.stringify(seen.value) &&
    Object.entries(original.headers).every(([name, value]) => seen.headers[name] === value)
  );
}

/**
 * What was delivered for `published` alone, on topics others write to as well (a Kafka cluster
 * shared by several specs): messages carrying a ce_id that was never published here are theirs.
 */
export function ownDeliveries(
  published: readonly IntegrationMessage[],
  delivered: readonly DeliveredMessage[],
): DeliveredMessage[] {
  const ours = new Set(published.map((m) => m.headers.ce_id));
  return delivered.filter((message) => ours.has(message.headers.ce_id ?? ''));
}
