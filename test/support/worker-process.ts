import path from 'node:path';
import { startChildService } from '../../bench/support/child-service';
import type { ProcessorStatus } from '../../projections/engine/status';
import { eventually } from './eventually';

/** The compiled projection worker, wherever this file was compiled to (dist/ or a build dir). */
export const WORKER_MAIN = path.join(__dirname, '..', '..', 'projections', 'main.js');

/** The projection worker as a real child process, reached over its `/status` endpoint. */
export interface WorkerProcess {
  readonly port: number;
  readonly pid: number;
  statuses(): Promise<ProcessorStatus[]>;
  status(processor: string): Promise<ProcessorStatus>;
  /** SIGKILL: no batch finished, no checkpoint saved, no connection closed. */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after the grace), resolving to the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * The worker on the embedded stores in `dataDir`, whatever the surrounding environment says
 * (`make test-stack` sets server URLs that would otherwise select other adapters), on a free
 * port. `extra` adds or overrides variables, such as KAFKA_BROKERS.
 */
export function embeddedWorkerEnv(
  dataDir: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    STRATA_DATA_DIR: dataDir,
    STRATA_WORKER_PORT: '0',
    STRATA_LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    ESDB_URL: undefined,
    MONGO_URL: undefined,
    ELASTICSEARCH_URL: undefined,
    KAFKA_BROKERS: undefined,
    ...extra,
  };
}

export async function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const service = await startChildService(WORKER_MAIN, env);
  const { child, port } = service;
  // If the test process dies first, the worker must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const statuses = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/status`).catch((error: unknown) => {
      // Say whether the worker died, so a crash is not mistaken for a network hiccup.
      const state = child.exitCode ?? child.signalCode ?? 'still running';
      throw new Error(`worker /status unreachable (worker ${state})`, { cause: error });
    });
    if (!response.ok) throw new Error(`worker /status answered ${response.status}`);
    return ((await response.json()) as { processors: ProcessorStatus[] }).processors;
  };
  return {
    port,
    pid: child.pid as number,
    statuses,
    async status(processor) {
      const found = (await statuses()).find((s) => s.name === processor);
      if (!found) throw new Error(`the worker runs no processor named ${processor}`);
      return found;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    stop: (graceMs) => service.stop(graceMs),
  };
}

/** Until the processor's checkpoint is `head()` (read afresh each time: effects move it). */
export async function workerSettled(
  worker: WorkerProcess,
  processor: string,
  head: () => Promise<string | null>,
  timeoutMs = 30_000,
): Promise<ProcessorStatus> {
  let last: ProcessorStatus | null = null;
  await eventually(
    `${processor} in the worker process to reach the head of the log`,
    async () => {
      last = await worker.status(processor);
      return last.checkpoint === (await head());
    },
    { timeoutMs, intervalMs: 50, describe: () => JSON.stringify(last) },
  );
  return last as unknown as ProcessorStatus;
}
