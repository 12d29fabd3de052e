import type { Position, RecordedEvent } from '../../shared-kernel/events/envelope';
import { parkWrite, type DeadLetter } from './dead-letters';
import { asInterruption, type RunnerContext } from './runner-context';
import { isTransient } from './status';

/**
 * Applies a batch that keeps failing event by event: an event that still fails after
 * `maxAttempts` parks its stream (a dead letter, committed with the checkpoint at that event),
 * and the stream's later events are held by being skipped. The others commit one by one, and
 * the checkpoint ends at `upTo`. A transient failure is not a poison: it goes back to the loop.
 */
export async function isolatePoison(
  context: RunnerContext,
  events: readonly RecordedEvent[],
  upTo: Position,
): Promise<void> {
  const { deps, parked, status, name } = context;
  for (const event of events) {
    if (parked.has(event.streamId)) continue;
    const failure = await commitAlone(context, event);
    if (failure === null) continue;
    const write = parkWrite(name, event, failure, deps.options.maxAttempts, context.now());
    await context.commit([], event.position, [write]);
    context.checkpoint = event.position;
    parked.set(event.streamId, write.doc as DeadLetter);
    status.parkedStreams = parked.size;
    deps.logger.error('poison event: stream parked', {
      processor: name,
      streamId: event.streamId,
      eventId: event.eventId,
      error: String(failure),
    });
  }
  if (context.checkpoint !== upTo) await context.commit([], upTo);
}

/** Null once the event committed on its own; else its last failure. */
async function commitAlone(context: RunnerContext, event: RecordedEvent): Promise<unknown> {
  let failure: unknown = null;
  for (let attempt = 0; attempt < context.deps.options.maxAttempts; attempt++) {
    try {
      await context.commit([event], event.position);
      context.checkpoint = event.position;
      return null;
    } catch (error) {
      const moved = asInterruption(error);
      if (moved) throw moved;
      if (isTransient(error)) throw error;
      failure = error;
    }
  }
  return failure;
}
