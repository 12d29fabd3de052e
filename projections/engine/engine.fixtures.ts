import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { newId } from '../../shared-kernel/ids';
import { evolveProjection } from './projection';

export interface Counter {
  [key: string]: string | number;
  stream: string;
  count: number;
  lastRevision: number;
}

/**
 * Counts events per stream, and checks they arrive in order: a gap or repeat throws, so an
 * event applied twice (two owners committing one batch) cannot pass unseen.
 */
export function countingProjection(poisoned: ReadonlySet<string>, name = 'counter') {
  return evolveProjection<Counter>({
    name,
    collection: { name: name === 'counter' ? 'counters' : name.replace(/-/g, '_'), indexes: [] },
    handles: ['Ticked'],
    documentIds: (event) => [event.streamId],
    evolve(doc, event: RecordedEvent) {
      if (poisoned.has(event.eventId)) throw new Error(`poisoned ${event.eventId}`);
      const expected = doc ? doc.lastRevision + 1 : 0;
      if (event.revision !== expected)
        throw new Error(`out of order: ${event.revision} != ${expected}`);
      return { stream: event.streamId, count: (doc?.count ?? 0) + 1, lastRevision: event.revision };
    },
  });
}

/** An event to append in a spec: the type given, no data, plain metadata. */
export function testEvent(type: string) {
  return {
    eventId: newId(),
    type,
    data: {},
    metadata: {
      correlationId: 'c',
      causationId: null,
      actor: 'test',
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    },
  };
}

export const tick = () => testEvent('Ticked');
