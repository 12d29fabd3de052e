import { DEAD_LETTERS } from '../../projections/engine/dead-letters';
import { REBUILDS } from '../../projections/engine/rebuild';
import { createRunner, type RunnerDeps } from '../../projections/engine/runner';
import { cpuMicros, startMemorySampler } from '../support/measure';

export interface CatchUpDeps extends RunnerDeps {
  /** Give up when the checkpoint has not moved for this long (a broker that stopped answering). */
  stallMs?: number;
}

export interface CatchUpFigures {
  events: number;
  seconds: number;
  perSecond: number;
  cpuMicrosEach: number;
  peakRssMb: number;
}

/**
 * Runs a processor the way the worker does (`createRunner`: subscription, batches, effect, then
 * commit with the checkpoint) from its stored checkpoint until it has reached the head of the log
 * as it was at the start, and times it. For processors with effects (search indexing, the Kafka
 * mirror) this is the only real path: a rebuild never runs effects.
 */
export async function measureCatchUp(deps: CatchUpDeps): Promise<CatchUpFigures> {
  const head = await deps.eventStore.headPosition();
  const from = await deps.store.getCheckpoint(deps.spec.projection.name);
  const events = deps.eventStore.eventsBetween?.(from, head) ?? 0;
  // What the worker declares before it starts its runners (worker.ts).
  for (const collection of [DEAD_LETTERS, REBUILDS, ...deps.spec.projection.collections]) {
    await deps.store.ensureCollection(collection);
  }
  const runner = createRunner({ ...deps });
  const memory = startMemorySampler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  runner.start();
  try {
    let last = runner.status().checkpoint;
    let movedAt = performance.now();
    while (head !== null && (runner.status().checkpoint ?? '') < head) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const status = runner.status();
      if (status.checkpoint !== last) [last, movedAt] = [status.checkpoint, performance.now()];
      if (performance.now() - movedAt > (deps.stallMs ?? 60_000)) {
        throw new Error(
          `${runner.name} stalled at ${status.checkpoint} (${status.state}): ${status.lastError?.message ?? 'no error recorded'}`,
        );
      }
    }
  } finally {
    await runner.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    events,
    seconds,
    perSecond: events / seconds,
    cpuMicrosEach: cpuMicros(cpu) / Math.max(1, events),
    peakRssMb: memory.stop().peakRssMb,
  };
}
