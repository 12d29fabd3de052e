import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embeddedEnv, startCommandApi, startQueryApi, type HttpService } from './processes';
import { startWorkerProcess, type WorkerProcess } from '../../support/worker-process';

/** Which of the three processes a scenario needs; each gets the same data dir and extras. */
export interface SystemParts {
  command?: boolean;
  query?: boolean;
  worker?: boolean;
  /** Added to every process's environment (REDIS_URL, KAFKA_BROKERS, ...). */
  env?: NodeJS.ProcessEnv;
  /** Added to one process only, e.g. a longer read-your-writes wait for the query API. */
  queryEnv?: NodeJS.ProcessEnv;
  workerEnv?: NodeJS.ProcessEnv;
}

/** A Strata node made of the compiled composition roots, each a real child process. */
export interface RunningSystem {
  readonly dataDir: string;
  readonly command: HttpService | null;
  readonly query: HttpService | null;
  readonly worker: WorkerProcess | null;
  /** SIGTERM to each (worker last, so it saves its checkpoints), then the data dir goes. */
  stop(): Promise<void>;
}

/**
 * Rate limiting (STRATA_RATE_LIMIT_PER_MINUTE) is switched off: the scenarios drive hundreds of
 * requests a second from one address on purpose, and a 429 would hide what the fault does.
 */
const NO_RATE_LIMIT = { STRATA_RATE_LIMIT_PER_MINUTE: '0' };

export async function startSystem(prefix: string, parts: SystemParts): Promise<RunningSystem> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `strata-fault-${prefix}-`));
  const env = (own: NodeJS.ProcessEnv = {}) =>
    embeddedEnv(dataDir, { ...NO_RATE_LIMIT, ...parts.env, ...own });
  const started: { stop(): Promise<unknown> }[] = [];
  try {
    // The worker first: it declares the collections and the live targets the APIs read.
    const worker = parts.worker ? await startWorkerProcess(env(parts.workerEnv)) : null;
    if (worker) started.push(worker);
    const command = parts.command ? await startCommandApi(env()) : null;
    if (command) started.push(command);
    const query = parts.query ? await startQueryApi(env(parts.queryEnv)) : null;
    if (query) started.push(query);
    return {
      dataDir,
      command,
      query,
      worker,
      async stop() {
        for (const service of started.reverse()) await service.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const service of started.reverse()) await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** The service, or a clear failure when the scenario forgot to ask for it. */
export function need<T>(part: T | null, name: string): T {
  if (part === null) throw new Error(`the scenario did not start the ${name}`);
  return part;
}
