import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { eventually } from './eventually';

export interface ServerBinary {
  /** SIGTERM (SIGKILL after 5 s), then removes its directory. */
  stop(): Promise<void>;
}

/**
 * A server program for a test (Prometheus, Jaeger): run in `dir` with nothing of the test's
 * environment but PATH, killed if the test process dies first, resolved once `ready()` holds
 * (rejecting with its stderr when it exits or does not get ready in 30 s).
 */
export async function startServerBinary(options: {
  name: string;
  command: string;
  args: string[];
  dir: string;
  ready: () => Promise<boolean>;
}): Promise<ServerBinary> {
  const child = spawn(options.command, options.args, {
    cwd: options.dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
    rmSync(options.dir, { recursive: true, force: true });
  };
  try {
    await eventually(
      `${options.name} to get ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${options.name} exited: ${stderr}`);
        return options.ready().catch(() => false);
      },
      { timeoutMs: 30_000, intervalMs: 100, describe: () => stderr },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
