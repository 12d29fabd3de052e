import type { Doc } from '../../shared-kernel/document-store/port';
import type {
  IntegrationMessage,
  IntegrationPublisher,
} from '../../shared-kernel/integration/port';
import { aggregates, aggregateTypeOfStream } from '../../write-side/aggregates';
import type { ProcessorSpec } from '../engine/processor';
import { docKey } from '../engine/projection';
import { integrationMessageFor } from '../kafka-mirror/mapping';
import { mirrorFoldOf } from '../kafka-mirror/mirror-state';

const MIRROR_STATE = 'mirror_state';

interface MirrorStateDoc {
  [key: string]: unknown;
  revision: number;
  state: unknown;
}

/** The stream's aggregate type when the mirror keeps a state for it (mirror-state.ts). */
function foldedType(streamId: string) {
  const type = aggregateTypeOfStream(streamId);
  return type !== null && mirrorFoldOf(type) !== null ? type : null;
}

/**
 * Mirrors public integration events to Kafka (or the embedded outbox). It folds each stream into
 * what its public messages need (mirror-state.ts), so a partial internal event becomes a whole
 * public one, publishes the batch, and only after the broker acknowledged commits the folded
 * state and checkpoint.
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
        foldedType(event.streamId) ? [{ collection: MIRROR_STATE, id: event.streamId }] : [],
      apply(event, docs) {
        const type = foldedType(event.streamId);
        if (type === null) return [];
        const previous = docs.get(docKey(MIRROR_STATE, event.streamId)) as MirrorStateDoc | null;
        const fold = mirrorFoldOf(type)!;
        const state = fold.evolve(previous?.state ?? fold.initial, event);
        const doc: MirrorStateDoc = { revision: event.revision, state };
        return [{ collection: MIRROR_STATE, id: event.streamId, doc: doc as Doc }];
      },
    },
    async effect(trace) {
      const messages: IntegrationMessage[] = [];
      for (const { event, writes } of trace) {
        const type = foldedType(event.streamId);
        const after = writes[0]?.doc as MirrorStateDoc | undefined;
        if (type === null || !after) continue;
        const message = integrationMessageFor(type, event, after.state);
        if (message) messages.push(message);
      }
      if (messages.length > 0) await publisher.publish(messages);
    },
  };
}
