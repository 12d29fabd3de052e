import { createMaintenance } from './maintenance';
import { createRunnerContext, type RunnerDeps } from './runner-context';
import type { ProcessorStatus } from './status';
import { startSubscriptionLoop, type SubscriptionLoop } from './subscription-loop';

export type { RunnerDeps, RunnerOptions } from './runner-context';

export interface ProcessorRunner {
  readonly name: string;
  start(): void;
  /** Finishes the batch in hand, commits its checkpoint, and stops. */
  stop(): Promise<void>;
  status(): ProcessorStatus;
}

/**
 * Runs one processor: the subscription loop (subscription-loop.ts, with poison isolation in
 * poison-isolation.ts) and its maintenance on a timer (maintenance.ts: heartbeat, lag,
 * dead-letter requests), over the state they share (runner-context.ts).
 */
export function createRunner(deps: RunnerDeps): ProcessorRunner {
  const context = createRunnerContext(deps);
  let loop: SubscriptionLoop | null = null;
  const maintenance = createMaintenance(context, async () => loop?.interrupt());
  let maintenanceTimer: NodeJS.Timeout | null = null;

  return {
    name: context.name,
    start() {
      if (loop) return;
      loop = startSubscriptionLoop(context, maintenance.serveDeadLetterRequests);
      maintenanceTimer = setInterval(
        () => void maintenance.tick(),
        deps.options.maintenanceIntervalMs,
      );
      maintenanceTimer.unref();
    },
    async stop() {
      context.stopping = true;
      if (maintenanceTimer) clearInterval(maintenanceTimer);
      await context.exclusive(async () => {});
      await loop?.interrupt();
      await loop?.finished;
    },
    status: () => ({ ...context.status }),
  };
}
