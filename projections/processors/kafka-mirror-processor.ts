import type { Doc } from '../../shared-kernel/document-store/port';
import type {
  IntegrationMessage,
  IntegrationPublisher,
} from '../../shared-kernel/integration/port';
import { aggregates, aggregateTypeOfStream } from '../../write-side/aggregates';
import type { ProcessorSpec } from '../engine/processor';
import { docKey } from '../engine/projection';
import { integrationMessageFor } from '../kafka-mirror/mapping';

const MIRROR_STATE = 'mirror_state';

interface MirrorStateDoc {
  [key: string]: unknown;
  revision: number;
  state: unknown;
}

/**
 * Mirrors public integration events to Kafka (or the embedded outbox). It folds each stream with
 * the write side's own `evolve` so a partial internal event becomes a whole public one, publishes
 * the batch, and only after the broker acknowledged commits the folded state and checkpoint.
 */
export function kafkaMirrorProcessor(publisher: IntegrationPublisher): ProcessorSpec {
  const handled = new Set<string>();
  for (const definition of Object.values(aggregates)) {
    for (const type of Object.keys(definition.schemaVersions)) handled.add(type);
  }
  return {
    rebuildable: false,
    projection: {
      name: 'kafka-mirror',
      collections: [{ name: MIRROR_STATE, indexes: [] }],
      handles: handled,
      reads: (event) =>
        aggregateTypeOfStream(event.streamId)
          ? [{ collection: MIRROR_STATE, id: event.streamId }]
          : [],
      apply(event, docs) {
        const type = aggregateTypeOfStream(event.streamId);
        if (type === null) return [];
        const previous = docs.get(docKey(MIRROR_STATE, event.streamId)) as MirrorStateDoc | null;
        const decider = aggregates[type].decider as {
          initialState: unknown;
          evolve(s: unknown, e: unknown): unknown;
        };
        const state = decider.evolve(previous?.state ?? decider.initialState, event);
        const doc: MirrorStateDoc = { revision: event.revision, state };
        return [{ collection: MIRROR_STATE, id: event.streamId, doc: doc as Doc }];
      },
    },
    async effect(trace) {
      const messages: IntegrationMessage[] = [];
      for (const { event, writes } of trace) {
        const type = aggregateTypeOfStream(event.streamId);
        const after = writes[0]?.doc as MirrorStateDoc | undefined;
        if (type === null || !after) continue;
        const message = integrationMessageFor(type, event, after.state);
        if (message) messages.push(message);
      }
      if (messages.length > 0) await publisher.publish(messages);
    },
  };
}
