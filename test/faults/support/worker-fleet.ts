import type { DocumentStore, Lease } from '../../../shared-kernel/document-store/port';
import { scrape } from '../../../shared-kernel/metrics/scrape.fixtures';
import { eventually } from '../../support/eventually';
import { balancedWithinOne, sharesOf } from '../../support/lease-balance';
import { startWorkerProcess, type WorkerProcess } from '../../support/worker-process';
import { readModelProjections } from '../../../projections/read-models';

/** Every processor a worker runs: the read models, the Kafka mirror and the saga. */
export const PROCESSORS = [
  ...readModelProjections().map((projection) => projection.name),
  'kafka-mirror',
  'fulfillment-saga',
];

/** A worker of the fleet: its process and the id its leases carry. */
export interface FleetWorker {
  readonly id: string;
  readonly process: WorkerProcess;
}

/**
 * Several worker processes on the same embedded stores, each with a worker id of its own
 * (`w1`, `w2`, ... in start order, never reused), and the leases as the store holds them: who
 * owns what is read from the lease store, not from any worker's say-so.
 */
export function workerFleet(env: NodeJS.ProcessEnv, store: DocumentStore, processors: string[]) {
  const live = new Map<string, FleetWorker>();
  let started = 0;

  const leases = async () => {
    const byName = new Map<string, Lease>();
    for (const lease of await store.leases()) byName.set(lease.name, lease);
    return byName;
  };

  return {
    live,
    leases,
    async start(): Promise<FleetWorker> {
      const id = `w${++started}`;
      const process = await startWorkerProcess({ ...env, STRATA_WORKER_ID: id });
      const worker = { id, process };
      live.set(id, worker);
      return worker;
    },
    async kill(worker: FleetWorker): Promise<void> {
      live.delete(worker.id);
      await worker.process.kill();
    },
    /** Until every processor has a live owner among the running workers. */
    async everyProcessorOwned(timeoutMs = 60_000): Promise<Map<string, Lease>> {
      let last = new Map<string, Lease>();
      await eventually(
        'every processor owned by a running worker',
        async () => {
          last = await leases();
          return processors.every((name) => {
            const lease = last.get(name);
            return lease?.owner != null && live.has(lease.owner);
          });
        },
        { timeoutMs, intervalMs: 25, describe: () => JSON.stringify([...last.values()]) },
      );
      return last;
    },
    /**
     * Until every processor is owned by a running worker and the counts per running worker
     * differ by at most one: the plan's promise once the members agree on who is alive. Returns
     * the counts, in the order of `live`.
     */
    async balanced(timeoutMs = 60_000): Promise<number[]> {
      let perWorker: number[] = [];
      await eventually(
        'processors balanced within one over the running workers',
        async () => {
          const now = await leases();
          const shares = sharesOf(
            processors.map((name) => now.get(name)?.owner),
            [...live.keys()],
          );
          if (shares) perWorker = shares;
          return balancedWithinOne(shares);
        },
        { timeoutMs, intervalMs: 50, describe: () => perWorker.join(', ') },
      );
      return perWorker;
    },
    /**
     * Milliseconds from `since` until each of `names` is owned by a running worker with a token
     * above `before`'s: the takeover time of each, polled every 10 ms.
     */
    async takeovers(
      names: readonly string[],
      before: ReadonlyMap<string, Lease>,
      since: number,
      timeoutMs = 60_000,
    ): Promise<Map<string, number>> {
      const times = new Map<string, number>();
      const deadline = since + timeoutMs;
      while (times.size < names.length) {
        if (Date.now() > deadline) throw new Error(`no takeover of ${names.join(', ')} in time`);
        const now = await leases();
        const at = Date.now();
        for (const name of names) {
          const lease = now.get(name);
          const old = before.get(name);
          if (times.has(name) || !lease?.owner || !live.has(lease.owner)) continue;
          if (lease.token > (old?.token ?? 0)) times.set(name, at - since);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return times;
    },
    /** Every processor's committed checkpoint at the head of the log (effects move the head). */
    async settled(head: () => Promise<string | null>, timeoutMs = 600_000): Promise<void> {
      let last: Array<[string, string | null]> = [];
      await eventually(
        'every processor at the head of the log',
        async () => {
          const at = await head();
          last = await Promise.all(
            processors.map(
              async (name) => [name, await store.getCheckpoint(name)] as [string, string | null],
            ),
          );
          return last.every(([, checkpoint]) => checkpoint === at);
        },
        { timeoutMs, intervalMs: 100, describe: () => JSON.stringify(last) },
      );
    },
    async stopAll(): Promise<Array<number | null>> {
      const workers = [...live.values()];
      live.clear();
      return Promise.all(workers.map((worker) => worker.process.stop()));
    },
  };
}

export type WorkerFleet = ReturnType<typeof workerFleet>;

/** A worker's batches given up for a lost lease (all processors), from its /metrics. */
export async function fencedBatches(worker: FleetWorker): Promise<number> {
  const metrics = await scrape(`http://127.0.0.1:${worker.process.port}`);
  return metrics.value('strata_projection_fenced_batches_total') ?? 0;
}
