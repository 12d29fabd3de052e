import { PRODUCT_SEARCH_INDEX, PRODUCT_SEARCH_PROCESSOR } from '../../projections/read-models';
import { readModelSpecs } from '../../projections/processors';
import { ensureLiveSearchTarget } from '../../projections/processors/search-processor';
import { record } from '../support/report';
import { runnerOptions, type BenchContext } from './bench-context';
import { plainUpserts } from './plain-upserts';
import { measureRebuild, type RebuildFigures } from './rebuild-phase';
import { measureCatchUp } from './runner-catch-up';

/**
 * Document read models: >= 100,000 events/s and at least 0.8 of the plain loop's rate; the
 * product-search rebuild >= 60,000 events/s and its live indexing >= 40,000 (issue 15's goals).
 */
const DOCUMENT_GOAL = 100_000;
const RATIO_GOAL = 0.8;
const SEARCH_GOAL = 40_000;
const SEARCH_REBUILD_GOAL = 60_000;
/**
 * "Flat": RSS may grow between a quarter and all of the log by at most the caches that fill
 * as the tables grow (SQLite's 64 MiB page cache), never in proportion to the events.
 */
const FLAT_GROWTH_MB = 64;

/** Search indexing as the worker does it: the live runner folds the state and bulk-writes FTS5. */
export async function searchIndexingPhase(context: BenchContext): Promise<void> {
  const { report, search } = context;
  await ensureLiveSearchTarget(search, PRODUCT_SEARCH_INDEX.name);
  const spec = readModelSpecs(search).find((s) => s.projection.name === PRODUCT_SEARCH_PROCESSOR)!;
  const figures = await measureCatchUp({
    ...context,
    spec,
    options: runnerOptions(context.batchSize),
  });
  record(report, {
    name: `product-search indexing (runner: state + FTS5), ${figures.events} events`,
    value: figures.perSecond,
    unit: 'events/s',
    goal: { atLeast: SEARCH_GOAL },
  });
  record(report, {
    name: '  CPU per event, search indexing',
    value: figures.cpuMicrosEach,
    unit: 'µs',
  });
  record(report, { name: '  peak RSS, search indexing', value: figures.peakRssMb, unit: 'MB' });
}

/** Every read model rebuilt through `rebuildProjection`, each against its plain baseline. */
export async function rebuildPhases(context: BenchContext, between: () => void): Promise<void> {
  const names = readModelSpecs(context.search).map((s) => s.projection.name);
  for (const name of names) {
    between();
    const indexed = await searchDocuments(context);
    const rebuild = await measureRebuild(name, context);
    between();
    const plain = plainUpserts({
      eventsFile: context.eventStore.file,
      dataDir: context.dataDir,
      name,
      batchSize: context.batchSize,
      writesPerBatch: rebuild.writesPerBatch,
      types: rebuild.types,
    });
    recordRebuild(context, rebuild, plain);
    if (name === PRODUCT_SEARCH_PROCESSOR) {
      // rebuildProjection never runs effects (commit.ts skips them for a target), so the search
      // target it swaps in was never written: this figure shows what a rebuild leaves behind.
      record(context.report, {
        name: `  search documents live after the rebuild (before: ${indexed})`,
        value: await searchDocuments(context),
        unit: 'documents',
        baseline: indexed,
      });
    }
  }
}

function recordRebuild(
  { report }: BenchContext,
  rebuild: RebuildFigures,
  plain: ReturnType<typeof plainUpserts>,
): void {
  const isSearch = rebuild.processor === PRODUCT_SEARCH_PROCESSOR;
  const documents = rebuild.writesPerBatch.reduce((sum, n) => sum + n, 0);
  record(report, {
    name: `${rebuild.processor} rebuild${isSearch ? ' (state only, see below)' : ''}, ${rebuild.events} events`,
    value: rebuild.perSecond,
    unit: 'events/s',
    baseline: plain.perSecond,
    goal: { atLeast: isSearch ? SEARCH_REBUILD_GOAL : DOCUMENT_GOAL },
  });
  record(report, {
    name: `  ratio to plain upserts (${documents} documents each)`,
    value: rebuild.perSecond / plain.perSecond,
    unit: 'x',
    goal: isSearch ? null : { atLeast: RATIO_GOAL },
  });
  if (plain.documents !== documents)
    throw new Error(
      `${rebuild.processor}: the baseline wrote ${plain.documents} documents, not ${documents}`,
    );
  record(report, {
    name: `  CPU per event, ${rebuild.processor} rebuild`,
    value: rebuild.cpuMicrosEach,
    unit: 'µs',
    baseline: plain.cpuMicrosEach,
  });
  record(report, {
    name: `  peak RSS, ${rebuild.processor} rebuild`,
    value: rebuild.peakRssMb,
    unit: `MB (${rebuild.startRssMb.toFixed(0)} MB at start)`,
    baseline: plain.peakRssMb,
  });
  const [q1 = 0, q2 = 0, q3 = 0, q4 = 0] = rebuild.rssAtQuarters;
  record(report, {
    name: `  RSS growth 25% -> 100% of the log, ${rebuild.processor}`,
    value: q4 - q1,
    unit: `MB (RSS at 25/50/75/100%: ${[q1, q2, q3, q4].map((mb) => mb.toFixed(0)).join(' / ')} MB)`,
    goal: { atMost: FLAT_GROWTH_MB },
  });
}

async function searchDocuments({ search }: BenchContext): Promise<number> {
  const alias = await search.aliasState(PRODUCT_SEARCH_INDEX.name);
  if (alias.live === null) return 0;
  return (await search.search(PRODUCT_SEARCH_INDEX.name, { limit: 1 })).total;
}
