import type { Command } from 'commander';
import { partitionNames } from '../engine/partitions';
import type { Position } from '../../shared-kernel/events/envelope';
import { withCliContext } from './cli-context';
import { formatDuration, note, printJson, printTable } from './output';
import { storeIdentity } from '../store-identity';
import {
  fetchWorkerReport,
  fromStores,
  fromWorker,
  requireSameStores,
  leaseColumns,
  type CliProcessorStatus,
} from './processor-status';
import { registerPruneCommand } from './prune-command';
import { registerRebuildCommand } from './rebuild-command';
import { registerTargetCommands } from './target-commands';
import { runAction } from './cli-action';

/** How long `status` waits for a worker before asking the stores instead. */
const WORKER_TIMEOUT_MS = 1000;

/** `strata projections list|status|rebuild|rollback|reset|prune`. */
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
          const chosen = name === undefined ? processors.entries : [processors.find(name)];
          // A partitioned processor is one row per partition (its own checkpoint and lease).
          const entries = chosen.flatMap((entry) =>
            partitionNames(entry.name, config.partitions.get(entry.name) ?? 1).map((row) => ({
              ...entry,
              name: row,
            })),
          );
          const report = await fetchWorkerReport(config.workerBaseUrl, WORKER_TIMEOUT_MS);
          if (report) requireSameStores(report, storeIdentity(config), config.workerBaseUrl);
          const worker = report?.processors;
          // A standby processor runs on another worker: its figures come from the stores.
          const live = new Map(
            worker?.filter((s) => s.state !== 'standby').map((status) => [status.name, status]),
          );
          const stored = new Map<string, Position | null>();
          for (const entry of entries) {
            if (!live.has(entry.name)) {
              stored.set(entry.name, await context.store.getCheckpoint(entry.name));
            }
          }
          // One head for the whole report, read after every checkpoint it shows (the worker's
          // and the stores'): no row's checkpoint can be above it.
          const head = await eventStore.headPosition();
          const now = new Date();
          const leases = new Map((await context.store.leases()).map((l) => [l.name, l]));
          const rows: CliProcessorStatus[] = [];
          for (const entry of entries) {
            const status = live.get(entry.name);
            const lease = leases.get(entry.name);
            rows.push(
              status
                ? await fromWorker(context, entry, status, head, now, leaseColumns(lease, now))
                : await fromStores(
                    context,
                    entry,
                    stored.get(entry.name) ?? null,
                    head,
                    now,
                    lease,
                  ),
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
  registerPruneCommand(projections);
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
