import type { EventStore } from '../../../shared-kernel/event-store/port';
import { eventually } from '../../support/eventually';
import type { WorkerProcess } from '../../support/worker-process';

/**
 * Until every processor of the worker stands at the head of the log, and the head has not
 * moved meanwhile: the saga replies to orders with commands of its own, so one look at the
 * head is not enough to know the log is done growing.
 */
export async function settledLog(
  worker: WorkerProcess,
  events: EventStore,
  timeoutMs = 60_000,
): Promise<string | null> {
  let seen = '';
  let head: string | null = null;
  await eventually(
    'every processor at the head of a log that has stopped growing',
    async () => {
      const before = await events.headPosition();
      const statuses = await worker.statuses();
      head = await events.headPosition();
      // A processor behind says why: its last error is what a failed run needs to be read.
      seen = JSON.stringify(
        statuses.map((s) =>
          s.checkpoint === head
            ? [s.name, s.state, s.checkpoint]
            : [s.name, s.state, s.checkpoint, s.lastError],
        ),
      );
      return before === head && statuses.every((s) => s.checkpoint === head);
    },
    { timeoutMs, intervalMs: 100, describe: () => `head ${head}, processors ${seen}` },
  );
  return head;
}
