import type { RecordedEvent } from '../../../shared-kernel/events/envelope';
import type { EventStore } from '../../../shared-kernel/event-store/port';
import { readStream } from '../../support/fulfillment-check';

/** The stream's current revision (-1 when it has no events), read from its last event. */
export async function currentRevision(store: EventStore, streamId: string): Promise<number> {
  for await (const event of store.readStream(streamId, { direction: 'backwards', maxCount: 1 })) {
    return event.revision;
  }
  return -1;
}

/**
 * The client references carried by the stream's events of these types, with how many events
 * carry each: the ledger that acknowledged commands are checked against.
 */
export async function referencesInStream(
  store: EventStore,
  streamId: string,
  types: Record<string, (data: Record<string, unknown>) => unknown>,
): Promise<{ events: RecordedEvent[]; references: Map<string, number> }> {
  const events = await readStream(store, streamId);
  const references = new Map<string, number>();
  for (const event of events) {
    const pick = types[event.type];
    if (!pick) continue;
    const reference = String(pick(event.data as Record<string, unknown>));
    references.set(reference, (references.get(reference) ?? 0) + 1);
  }
  return { events, references };
}

/**
 * Compares what was acknowledged with what the stream holds: references stored more than once,
 * acknowledged but missing (a lost update), or stored but never acknowledged (applied although
 * the client was told it failed).
 */
export function ledgerProblems(
  acknowledged: readonly string[],
  stored: ReadonlyMap<string, number>,
  ignore: ReadonlySet<string> = new Set(),
): { twice: string[]; lost: string[]; unacknowledged: string[] } {
  const acked = new Set(acknowledged);
  const twice = [...stored].filter(([, n]) => n > 1).map(([ref, n]) => `${ref} x${n}`);
  const lost = [...acked].filter((ref) => !stored.has(ref));
  const unacknowledged = [...stored.keys()].filter((ref) => !acked.has(ref) && !ignore.has(ref));
  return { twice, lost, unacknowledged };
}
