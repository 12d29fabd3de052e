import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import readline from 'node:readline';
import { childEnv } from '../../shared-kernel/config/child-env';
import { nodeFlagsFor } from '../../shared-kernel/config/node-flags';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name, which is in parentheses and may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return null;
  }
}

/** CPU microseconds per operation of a child between two `cpuSeconds()` readings, or null. */
export function cpuMicrosEach(before: number | null, after: number | null, operations: number) {
  return before === null || after === null || operations === 0
    ? null
    : ((after - before) * 1e6) / operations;
}

export interface ChildService {
  port: number;
  child: ChildProcess;
  /** CPU seconds (user + system) the child has used so far; Linux /proc, null elsewhere. */
  cpuSeconds(): number | null;
  /** SIGTERM, then waits for the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Starts a compiled Node entry point as a child process and resolves once it logs a JSON line
 * carrying a numeric `port` (the composition roots log where they listen), so it can listen on
 * port 0 and the parent still learns where.
 */
export function startChildService(
  script: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 20_000,
): Promise<ChildService> {
  const child = spawn(process.execPath, [...nodeFlagsFor(script), script], {
    env: childEnv(process.env, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(killer);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(0);
      reject(new Error(`${script} did not report a port within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before listening: ${stderr}`));
    });
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return;
      }
      const port = (parsed as { port?: unknown }).port;
      if (typeof port === 'number') {
        clearTimeout(timer);
        resolve({ port, child, stop, cpuSeconds: () => cpuSecondsOf(child.pid) });
      }
    });
  });
}
