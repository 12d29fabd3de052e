import type { Command } from 'commander';
import { strataStreamPrefixes } from '../../write-side/aggregates';
import { skipForeignEvents } from '../engine/foreign-events';
import { preparePartitionedTarget } from '../engine/partition-layout';
import { rebuildProjection, type RebuildOutcome } from '../engine/rebuild';
import { withoutSpans } from '../../shared-kernel/tracing/suppressed';
import { withCliContext, type CliContext } from './cli-context';
import { note, printJson } from './output';
import { partitionsOfNewTarget } from './partitioned-targets';
import type { CatalogueEntry } from './processor-catalogue';
import { describePrune, GENERATIONS_KEPT, pruneTargets } from './prune-command';
import { progressMode, progressView } from './progress-view';
import { searchTargetForRebuild, swapSearchAlias } from './search-targets';
import { runAction, UsageError, wholeNumber } from './cli-action';

interface RebuildOptions {
  batchSize?: number;
  json?: boolean;
}

/** `strata projections rebuild <name>`: a new target from the start of the log, then a swap. */
export function registerRebuildCommand(projections: Command): void {
  projections
    .command('rebuild')
    .description(
      'rebuild a read model into a new target from the start of the log and swap to it; ' +
        'Ctrl-C stops it resumably, the live model untouched',
    )
    .argument('<name>', 'the read model (see `strata projections list`)')
    .option('--batch-size <events>', 'events per commit', wholeNumber(1, 20_000))
    .option('--json', 'print the result as JSON (progress as JSON lines on stderr)')
    .action(async (name: string, options: RebuildOptions, command: Command) =>
      runAction(command, () =>
        withCliContext(process.env, async (context) => {
          const entry = context.processors.find(name);
          if (!entry.rebuildable) throw notRebuildable(entry);
          await rebuildWithProgress(context, entry, options);
        }),
      ),
    );
}

function notRebuildable(entry: CatalogueEntry): UsageError {
  return new UsageError(
    `${entry.name} has side effects and is never rebuilt: a rebuild never re-runs side effects. ` +
      `To make it start over from the beginning of the log (re-running its effects, idempotently), ` +
      `use \`strata projections reset ${entry.name} --yes\``,
  );
}

async function rebuildWithProgress(
  context: CliContext,
  entry: CatalogueEntry,
  options: RebuildOptions,
): Promise<void> {
  const { store, eventStore, processors, config } = context;
  await store.ensureCollection(entry.collection);
  const partitions = await partitionsOfNewTarget(context, entry);
  const search = entry.indexesSearch ? await searchTargetForRebuild(context, entry) : null;
  const progress = progressView(
    { label: `rebuild ${entry.name}`, name: entry.name, unit: 'events' },
    progressMode(options.json),
  );
  const controller = new AbortController();
  // The first Ctrl-C finishes the batch in hand and stops; a second one kills as usual (the
  // last committed batch and its checkpoint are still consistent, so a rerun resumes anyway).
  const interrupt = () => {
    controller.abort();
    note(`\nstopping ${entry.name} rebuild after the batch in hand...`);
  };
  process.once('SIGINT', interrupt);
  const started = Date.now();
  let outcome: RebuildOutcome;
  try {
    outcome = await tracedRebuild(context, entry.name, () =>
      rebuildProjection(entry.name, {
        eventStore,
        store: store,
        specFor: async () =>
          search ? processors.specWritingTo(entry.name, search.target) : entry.spec,
        ...(search ? { swapSearchAlias: () => swapSearchAlias(context, search.target) } : {}),
        ownEvents: skipForeignEvents(strataStreamPrefixes()),
        upcast: context.upcast,
        batchSize: options.batchSize ?? config.batchSize,
        onProgress: ({ processed, total, checkpoint }) =>
          progress.update(
            eventStore.eventsBetween?.(null, checkpoint) ?? processed,
            total,
            processed,
          ),
        signal: controller.signal,
        beforeSwap: (target, checkpoint) =>
          preparePartitionedTarget(store, entry.name, partitions, target, checkpoint),
      }),
    );
  } finally {
    process.off('SIGINT', interrupt);
    progress.finish();
  }
  const seconds = (Date.now() - started) / 1000;
  const pruned =
    outcome.kind === 'swapped' ? await pruneTargets(context, entry, GENERATIONS_KEPT) : null;
  const result = {
    processor: entry.name,
    outcome: outcome.kind,
    target: outcome.target,
    searchTarget: search?.target ?? null,
    events: outcome.kind === 'swapped' ? outcome.events : null,
    seconds: Math.round(seconds * 1000) / 1000,
    eventsPerSecond: outcome.kind === 'swapped' ? Math.round(outcome.events / seconds) : null,
    pruned,
  };
  if (options.json) printJson(result);
  if (outcome.kind === 'interrupted') {
    note(
      `rebuild of ${entry.name} interrupted: the live model is untouched; ` +
        `run \`strata projections rebuild ${entry.name}\` again to resume where it stopped`,
    );
    process.exitCode = 130;
    return;
  }
  if (!options.json) {
    process.stdout.write(
      `rebuilt ${entry.name}: ${outcome.events} events into ${outcome.target}` +
        `${search ? ` (search: ${search.target})` : ''} in ${result.seconds}s, now live; ` +
        `\`strata projections rollback ${entry.name}\` restores the previous one\n`,
    );
    if (pruned) process.stdout.write(`${describePrune(pruned)}\n`);
  }
}

/** The whole rebuild is one span, its counts set at the end; nothing inside it makes spans. */
function tracedRebuild(
  context: CliContext,
  processor: string,
  rebuild: () => Promise<RebuildOutcome>,
): Promise<RebuildOutcome> {
  return context.tracing.inSpan(
    `rebuild ${processor}`,
    async (span) => {
      const outcome = await withoutSpans(rebuild);
      span.setAttributes({
        'strata.outcome': outcome.kind,
        'strata.target': outcome.target,
        ...(outcome.kind === 'swapped' ? { 'strata.events': outcome.events } : {}),
      });
      return outcome;
    },
    { attributes: { 'strata.processor': processor } },
  );
}
