import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { ConfigError } from '../../shared-kernel/errors';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { comparePositions, type Position } from '../../shared-kernel/events/envelope';
import type { Logger } from '../../shared-kernel/logging/logger';

/**
 * A checkpoint past the head of the log means the read models were built from another log (a
 * restored backup of the event store, a worker pointed at the wrong database): running on would
 * skip every event up to that checkpoint in silence. The worker says so and refuses to start,
 * unless the operator says `--force` (then it warns and waits for the log to pass the checkpoint).
 */
export async function checkCheckpointsBehindHead(params: {
  eventStore: EventStore;
  store: DocumentStore;
  processors: readonly string[];
  force: boolean;
  logger: Logger;
}): Promise<void> {
  const checkpoints = new Map<string, Position | null>();
  for (const processor of params.processors) {
    checkpoints.set(processor, await params.store.getCheckpoint(processor));
  }
  // The head is read after the checkpoints: other workers go on appending and committing while
  // this one starts, and a checkpoint they commit after an earlier head read is not ahead.
  const head = await params.eventStore.headPosition();
  const ahead: string[] = [];
  for (const [processor, checkpoint] of checkpoints) {
    if (checkpoint !== null && (head === null || comparePositions(checkpoint, head) > 0)) {
      ahead.push(`${processor} at ${checkpoint}`);
    }
  }
  if (ahead.length === 0) return;
  const problem =
    `checkpoints ahead of the head of the log (${head ?? 'empty'}): ${ahead.join(', ')}; ` +
    'the read models were not built from this log';
  params.logger.warn(problem, { head, ahead, force: params.force });
  if (!params.force) {
    throw new ConfigError(
      `${problem}. Point the worker at the right event store, reset or rebuild those ` +
        'processors, or start it with --force to wait until the log passes them',
    );
  }
}
