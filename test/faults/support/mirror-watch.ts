import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '../../../shared-kernel/event-store/port';
import { comparePositions, type Position } from '../../../shared-kernel/events/envelope';
import type { ProcessorStatus } from '../../../projections/engine/status';
import type { WorkerProcess } from '../../support/worker-process';

export const MIRROR = 'kafka-mirror';

/** What can be frozen with its sockets open: a broker, or every broker of a cluster. */
export interface Freezable {
  pause(): void;
  resume(): void;
}

/** What one broker pause did to the mirror, as its `/status` and the log show it. */
export interface PauseOutcome {
  pausedMs: number;
  /** Events appended to the log while the broker was frozen. */
  appendedWhilePaused: number;
  /** The largest `lagSeconds` the worker reported while paused. */
  reportedLagWhilePaused: number;
  /** Age of the oldest event not yet mirrored, when the broker came back. */
  realLagAtResumeSeconds: number;
  /** From SIGCONT until the mirror had passed everything logged before it and lagged < 1 s. */
  recoveryMs: number | null;
  lagEventsAtRecovery: number | null;
}

async function oldestUnmirroredAge(events: EventStore, checkpoint: Position | null) {
  for await (const event of events.readAll({ after: checkpoint, maxCount: 1 })) {
    return (Date.now() - Date.parse(event.recordedAt)) / 1000;
  }
  return 0;
}

/**
 * SIGSTOPs the broker for `pauseMs`, then SIGCONTs it and polls the worker until the mirror is
 * back: its checkpoint at or past the head as it was at the resume (everything that piled up is
 * acknowledged by the broker) and its reported lag under 1 s. Gives up after `patienceMs`.
 */
export async function pauseAndRecover(
  broker: Freezable,
  worker: WorkerProcess,
  events: EventStore,
  pauseMs: number,
  patienceMs = 60_000,
): Promise<PauseOutcome> {
  const count = async () => events.eventsBetween?.(null, await events.headPosition()) ?? 0;
  const before = await count();
  broker.pause();
  const pausedAt = Date.now();
  let reportedLag = 0;
  try {
    while (Date.now() - pausedAt < pauseMs) {
      const status = await worker.status(MIRROR);
      reportedLag = Math.max(reportedLag, status.lagSeconds);
      await sleep(Math.min(250, Math.max(0, pauseMs - (Date.now() - pausedAt))));
    }
  } finally {
    broker.resume();
  }
  const resumedAt = Date.now();
  const head = await events.headPosition();
  const appendedWhilePaused = (await count()) - before;
  let status: ProcessorStatus = await worker.status(MIRROR);
  const realLag = await oldestUnmirroredAge(events, status.checkpoint);
  let recoveryMs: number | null = null;
  while (Date.now() - resumedAt < patienceMs) {
    status = await worker.status(MIRROR);
    const passed =
      head === null ||
      (status.checkpoint !== null && comparePositions(status.checkpoint, head) >= 0);
    if (passed && status.lagSeconds < 1) {
      recoveryMs = Date.now() - resumedAt;
      break;
    }
    await sleep(100);
  }
  return {
    pausedMs: resumedAt - pausedAt,
    appendedWhilePaused,
    reportedLagWhilePaused: reportedLag,
    realLagAtResumeSeconds: realLag,
    recoveryMs,
    lagEventsAtRecovery: recoveryMs === null ? null : status.lagEvents,
  };
}

/** `count` pause lengths spread evenly from `minMs` to `maxMs`, shortest first. */
export function pauseLengths(count: number, minMs: number, maxMs: number): number[] {
  if (maxMs < minMs) throw new Error(`pause bounds out of order: ${minMs} > ${maxMs} ms`);
  return Array.from({ length: count }, (_, i) =>
    Math.round(count === 1 ? minMs : minMs + ((maxMs - minMs) * i) / (count - 1)),
  );
}
