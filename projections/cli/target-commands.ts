import type { Command } from 'commander';
import { withCliContext } from './cli-context';
import { note, printJson } from './output';
import { partitionsAdvice, partitionsAfterRollback } from './partitioned-targets';
import type { CatalogueEntry } from './processor-catalogue';
import { describePrune, GENERATIONS_KEPT, pruneTargets } from './prune-command';
import { requireSearchPrevious, rollbackSearchAlias } from './search-targets';
import { startOver } from './start-over';
import { runAction, UsageError } from './cli-action';

/** `strata projections rollback|reset <name>`: moving a processor between its targets. */
export function registerTargetCommands(projections: Command): void {
  projections
    .command('rollback')
    .description('swap back to the target that was live before the last rebuild or reset')
    .argument('<name>', 'the processor (see `strata projections list`)')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, options: { json?: boolean }, command: Command) =>
      runAction(command, () =>
        withCliContext(process.env, async (context) => {
          const entry = context.processors.find(name);
          const collection = entry.collection.name;
          await context.store.ensureCollection(entry.collection);
          const before = await context.store.targets(collection);
          if (before.previous === null) {
            throw new Error(
              `${name} has no previous target to roll back to: nothing was rebuilt or reset ` +
                `since it was created (or it was already rolled back and dropped)`,
            );
          }
          // Both checks before either swap: a document rollback without its search alias
          // would leave the index serving what the documents no longer say.
          if (entry.indexesSearch) await requireSearchPrevious(context, name);
          const partitions = await partitionsAfterRollback(context, entry, before);
          await context.store.rollback(collection);
          const search = entry.indexesSearch ? await rollbackSearchAlias(context) : null;
          const result = {
            processor: name,
            live: before.previous,
            previous: before.live,
            search,
            partitions,
          };
          if (options.json) return printJson(result);
          process.stdout.write(
            `rolled back ${name}: ${result.live} is live again (with its checkpoint), ` +
              `${result.previous} kept; the worker continues from there` +
              `${partitionsAdvice(context, entry, partitions)}\n`,
          );
        }),
      ),
    );

  projections
    .command('reset')
    .description('make a processor start over from the beginning of the log (needs --yes)')
    .argument('<name>', 'the processor (see `strata projections list`)')
    .option('--yes', 'confirm: you know what starting over does for this processor')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, options: { yes?: boolean; json?: boolean }, command: Command) =>
      runAction(command, () =>
        withCliContext(
          process.env,
          async (context) => {
            const entry = context.processors.find(name);
            if (!options.yes) {
              throw new UsageError(
                `reset ${name} starts it over from the beginning of the log: ${consequences(entry)}. ` +
                  `Run \`strata projections reset ${name} --yes\` to do it`,
              );
            }
            if (!entry.rebuildable) note(`${name}: ${consequences(entry)}`);
            const result = await startOver(context, entry);
            const pruned = await pruneTargets(context, entry, GENERATIONS_KEPT);
            if (options.json) return printJson({ processor: name, ...result, pruned });
            process.stdout.write(
              `reset ${name}: ${result.target} is live and empty (checkpoint ` +
                `${result.checkpoint ?? 'none'}); the worker redoes the log from the start. ` +
                `\`strata projections rollback ${name}\` restores ${result.previous}\n` +
                `${describePrune(pruned)}\n`,
            );
          },
          // Resetting the Kafka mirror re-publishes the first event from here (start-over.ts).
          { publishes: true },
        ),
      ),
    );
}

function consequences(entry: CatalogueEntry): string {
  if (entry.rebuildable) {
    return (
      'the read model is empty and fills again as the worker catches up ' +
      '(`strata projections rebuild` rebuilds without that gap)'
    );
  }
  if (entry.name === 'kafka-mirror') {
    return 'it RE-PUBLISHES every integration event (consumers drop the duplicates by ce_id)';
  }
  return (
    'it RE-ISSUES its commands for the whole log (idempotent: their ids derive from the ' +
    'triggering events, so a repeated command changes nothing)'
  );
}
