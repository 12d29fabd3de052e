import type { DocumentStore, DocumentWrite } from '../../shared-kernel/document-store/port';
import type { EventStore } from '../../shared-kernel/event-store/port';
import type { Position, RecordedEvent } from '../../shared-kernel/events/envelope';
import type { Logger } from '../../shared-kernel/logging/logger';
import { clearWrite, type DeadLetter } from './dead-letters';
import { loadDeadLetters } from './dead-letter-store';

export interface DeadLetterContext {
  processor: string;
  store: DocumentStore;
  eventStore: EventStore;
  handles: ReadonlySet<string>;
  /** The runner's checkpoint: held events are those of the stream at or before it. */
  checkpoint: Position | null;
  /** The runner's parked streams, brought in line with the store and updated in place. */
  parked: Map<string, DeadLetter>;
  /** Commits events and extra writes without moving the checkpoint. */
  commit: (events: RecordedEvent[], extraWrites: DocumentWrite[]) => Promise<void>;
  logger: Logger;
}

/**
 * Acts on `dead-letters retry|skip`. The held events of a parked stream were skipped, so they
 * are re-read from the event store (from the failing revision up to the checkpoint), applied,
 * and the letter removed, in one commit. A retry that fails again records the new error and
 * clears the request, so the operator sees it.
 */
export async function serveDeadLetterRequests(context: DeadLetterContext): Promise<void> {
  const { parked, checkpoint } = context;
  const letters = await loadDeadLetters(context.store, context.processor);
  parked.clear();
  for (const letter of letters) parked.set(letter.streamId, letter);
  for (const letter of letters.filter((l) => l.request !== null)) {
    const held: RecordedEvent[] = [];
    const from = { fromRevision: letter.revision };
    for await (const event of context.eventStore.readStream(letter.streamId, from)) {
      if (checkpoint === null || event.position > checkpoint) break;
      if (letter.request === 'skip' && event.revision === letter.revision) continue;
      if (context.handles.has(event.type)) held.push(event);
    }
    try {
      await context.commit(held, [clearWrite(letter)]);
      parked.delete(letter.streamId);
      context.logger.info('parked stream released', {
        processor: context.processor,
        streamId: letter.streamId,
        request: letter.request,
      });
    } catch (error) {
      const failedAgain: DeadLetter = {
        ...letter,
        request: null,
        requestedAt: null,
        error: String(error),
        attempts: letter.attempts + 1,
      };
      await context.commit([], [{ ...clearWrite(letter), doc: failedAgain }]);
      parked.set(letter.streamId, failedAgain);
    }
  }
}
