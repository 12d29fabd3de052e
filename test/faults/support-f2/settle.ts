import { spawn } from 'node:child_process';
import type { EventStore } from '../../../shared-kernel/event-store/port';
import { eventually } from '../../support/eventually';
import type { WorkerProcess } from '../../support/worker-process';
import { STRATA_CLI } from '../support/processes';

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
      seen = JSON.stringify(statuses.map((s) => [s.name, s.state, s.checkpoint]));
      return before === head && statuses.every((s) => s.checkpoint === head);
    },
    { timeoutMs, intervalMs: 100, describe: () => `head ${head}, processors ${seen}` },
  );
  return head;
}

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** The compiled `strata` CLI as a child, with the environment the scenario's processes got. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliOutcome> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--enable-source-maps', STRATA_CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }),
    );
  });
}
