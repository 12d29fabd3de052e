import type { Command } from 'commander';
import { REBUILDS } from '../engine/rebuild';
import { PRODUCT_SEARCH_INDEX } from '../read-models/product-search';
import { runAction, wholeNumber } from './cli-action';
import { withCliContext, type CliContext } from './cli-context';
import { printJson } from './output';
import type { CatalogueEntry } from './processor-catalogue';

/** Generations a rebuild or reset keeps after its swap, and `prune` keeps unless told. */
export const GENERATIONS_KEPT = 2;

export interface PruneResult {
  processor: string;
  dropped: string[];
  /** Search index targets dropped (the search processor only). */
  searchDropped: string[];
  kept: string[];
}

/**
 * Drops a processor's old targets: every one but the `keep` newest, the live one, the one a
 * rollback would restore, and the target of a rebuild in progress (resumable). The search
 * processor's index targets behind the alias go by the same rule.
 */
export async function pruneTargets(
  context: CliContext,
  entry: CatalogueEntry,
  keep: number,
): Promise<PruneResult> {
  const { store, search } = context;
  await store.ensureCollection(entry.collection);
  await store.ensureCollection(REBUILDS);
  const marker = await store.get<{ target: string }>(REBUILDS.name, entry.name);
  const { live, previous } = await store.targets(entry.collection.name);
  const all = await store.listTargets(entry.collection.name);
  const kept = keeping(all, keep, [live, previous, marker?.target]);
  const dropped = all.filter((target) => !kept.has(target));
  for (const target of dropped) await store.dropTarget(target);
  const searchDropped: string[] = [];
  if (entry.indexesSearch) {
    const alias = await search.aliasState(PRODUCT_SEARCH_INDEX.name);
    // An interrupted rebuild resumes into the newest unused search target (search-targets.ts).
    const resumable = marker ? alias.targets.at(-1) : undefined;
    const keptSearch = keeping(alias.targets, keep, [alias.live, alias.previous, resumable]);
    for (const target of alias.targets.filter((t) => !keptSearch.has(t))) {
      await search.dropTarget(target);
      searchDropped.push(target);
    }
  }
  return {
    processor: entry.name,
    dropped,
    searchDropped,
    kept: all.filter((t) => kept.has(t)),
  };
}

function keeping(
  oldestFirst: readonly string[],
  newest: number,
  always: ReadonlyArray<string | null | undefined>,
): Set<string> {
  const kept = new Set(oldestFirst.slice(Math.max(0, oldestFirst.length - newest)));
  for (const target of always) if (target) kept.add(target);
  return kept;
}

/** The line a person reads after a prune (or after the prune a swap did). */
export function describePrune(result: PruneResult): string {
  const dropped = [...result.dropped, ...result.searchDropped];
  return dropped.length === 0
    ? `${result.processor}: nothing to prune (kept ${result.kept.join(', ')})`
    : `${result.processor}: dropped ${dropped.join(', ')}; kept ${result.kept.join(', ')}`;
}

/** `strata projections prune [name] [--keep N]`. */
export function registerPruneCommand(projections: Command): void {
  projections
    .command('prune')
    .description(
      'drop old targets of a processor (default: every processor), never the live one, the ' +
        'rollback target or a rebuild in progress',
    )
    .argument('[name]', 'one processor (see `strata projections list`)')
    .option(
      '--keep <generations>',
      `newest targets kept besides those (default ${GENERATIONS_KEPT})`,
      wholeNumber(0, 1000),
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (
        name: string | undefined,
        options: { keep?: number; json?: boolean },
        command: Command,
      ) =>
        runAction(command, () =>
          withCliContext(process.env, async (context) => {
            const { processors } = context;
            const entries = name === undefined ? processors.entries : [processors.find(name)];
            const results: PruneResult[] = [];
            for (const entry of entries) {
              results.push(await pruneTargets(context, entry, options.keep ?? GENERATIONS_KEPT));
            }
            if (options.json) return printJson(results);
            for (const result of results) process.stdout.write(`${describePrune(result)}\n`);
          }),
        ),
    );
}
