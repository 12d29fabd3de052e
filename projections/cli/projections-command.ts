import type { Command } from 'commander';
import { withCliContext } from './cli-context';
import { formatDuration, note, printJson, printTable } from './output';
import {
  fetchWorkerStatuses,
  fromStores,
  fromWorker,
  leaseColumns,
  type CliProcessorStatus,
} from './processor-status';
import { registerRebuildCommand } from './rebuild-command';
import { registerTargetCommands } from './target-commands';
import { runAction } from './cli-action';

/** How long `status` waits for a worker before asking the stores instead. */
const WORKER_TIMEOUT_MS = 1000;

/** `strata projections list|status|rebuild|rollback|reset`. */
export function registerProjectionsCommand(program: Command): void {
  const projections = program
    .command('projections')
    .description('inspect and operate the projection processors (read models and side effects)');

  projections
    .command('list')
    .description('every processor the worker runs: name, kind, whether it can be rebuilt')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) =>
      runAction(command, () =>
        withCliContext(process.env, async ({ processors }) => {
          const rows = processors.entries.map(({ name, kind, rebuildable }) => ({
            name,
            kind,
            rebuildable,
          }));
          if (options.json) return printJson(rows);
          printTable(
            ['NAME', 'KIND', 'REBUILDABLE'],
            rows.map((r) => [r.name, r.kind, r.rebuildable ? 'yes' : 'no (side effects)']),
          );
        }),
      ),
    );

  projections
    .command('status')
    .description(
      'owner, lease, checkpoint, head, lag, state, parked streams and last error per processor',
    )
    .argument('[name]', 'one processor (default: all)')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, options: { json?: boolean }, command: Command) =>
      runAction(command, () =>
        withCliContext(process.env, async (context) => {
          const { processors, config, eventStore } = context;
          const entries = name === undefined ? processors.entries : [processors.find(name)];
          const worker = await fetchWorkerStatuses(config.workerBaseUrl, WORKER_TIMEOUT_MS);
          const head = await eventStore.headPosition();
          const now = new Date();
          const leases = new Map((await context.store.leases()).map((l) => [l.name, l]));
          const rows: CliProcessorStatus[] = [];
          for (const entry of entries) {
            const lease = leases.get(entry.name);
            const live = worker?.find((s) => s.name === entry.name && s.state !== 'standby');
            rows.push(
              live
                ? fromWorker(entry, live, leaseColumns(lease, now))
                : await fromStores(context, entry, head, now, lease),
            );
          }
          const source = worker ? 'worker' : 'stores';
          if (options.json) {
            return printJson({ source, workerUrl: config.workerBaseUrl, head, processors: rows });
          }
          note(
            worker
              ? `from the running worker at ${config.workerBaseUrl}`
              : `no worker answered at ${config.workerBaseUrl} (set STRATA_WORKER_URL if it runs elsewhere): figures from the stores`,
          );
          printStatusTable(rows);
        }),
      ),
    );

  registerRebuildCommand(projections);
  registerTargetCommands(projections);
}

function printStatusTable(rows: readonly CliProcessorStatus[]): void {
  printTable(
    [
      'NAME',
      'STATE',
      'OWNER',
      'TOKEN',
      'LEASE AGE',
      'CHECKPOINT',
      'HEAD',
      'LAG',
      'LAG TIME',
      'PARKED',
      'LAST ERROR',
    ],
    rows.map((row) => [
      row.name,
      row.state,
      row.owner ?? '(none)',
      row.leaseToken === null ? '' : String(row.leaseToken),
      row.leaseAgeSeconds === null ? '' : formatDuration(row.leaseAgeSeconds),
      row.checkpoint ?? '(none)',
      row.head ?? '(empty log)',
      row.lagEvents === null ? '?' : String(row.lagEvents),
      row.lagSeconds === null ? '?' : formatDuration(row.lagSeconds),
      String(row.parkedStreams),
      row.lastError ? `${row.lastError.at} ${row.lastError.message}`.slice(0, 80) : '',
    ]),
  );
}
