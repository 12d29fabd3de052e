import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { strataProcessEnv } from '../../shared-kernel/config/child-env';
import { nodeFlagsFor } from '../../shared-kernel/config/node-flags';

/** The processes of a Strata node, by the compiled composition root each starts from. */
const PROCESSES = [
  { name: 'command-api', entry: 'write-side/main.js' },
  { name: 'query-api', entry: 'read-side/main.js' },
  { name: 'projections', entry: 'projections/main.js' },
] as const;

/** dist/ root, found from this file's compiled place (dist/projections/cli/). */
const DIST_ROOT = path.resolve(__dirname, '..', '..');

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('start every process on the configured stores (embedded SQLite by default)')
    .option('--force', 'start the worker although a checkpoint is past the head of the log')
    .action(async (options: { force?: boolean }) => {
      process.exitCode = await runAll({ force: options.force === true });
    });
}

/**
 * Starts each process that exists as a child, forwards SIGINT/SIGTERM to all of them, and when
 * any one exits on its own stops the others: a half-running system is worse than a stopped one.
 */
export async function runAll({ force = false } = {}): Promise<number> {
  const available = PROCESSES.filter((p) => existsSync(path.join(DIST_ROOT, p.entry)));
  if (available.length === 0) {
    process.stderr.write('strata run: nothing to start (run `make build` first)\n');
    return 1;
  }
  const children = available.map((p) => ({
    name: p.name,
    child: spawn(
      process.execPath,
      [
        ...nodeFlagsFor(p.entry),
        path.join(DIST_ROOT, p.entry),
        ...(force && p.name === 'projections' ? ['--force'] : []),
      ],
      { stdio: 'inherit', env: strataProcessEnv(process.env) },
    ),
  }));
  let stopping = false;
  const stopAll = (signal: NodeJS.Signals): void => {
    stopping = true;
    for (const { child } of children) if (child.exitCode === null) child.kill(signal);
  };
  process.once('SIGINT', () => stopAll('SIGTERM'));
  process.once('SIGTERM', () => stopAll('SIGTERM'));

  const exits = children.map(
    ({ name, child }) =>
      new Promise<number>((resolve) => {
        child.once('exit', (code, signal) => {
          if (!stopping) {
            process.stderr.write(
              `strata run: ${name} exited (${signal ?? code}); stopping the rest\n`,
            );
            stopAll('SIGTERM');
          }
          resolve(code ?? 1);
        });
      }),
  );
  const codes = await Promise.all(exits);
  return codes.every((code) => code === 0) && stopping ? 0 : 1;
}
