import { REBUILDS } from '../engine/rebuild';
import { PRODUCT_SEARCH_INDEX } from '../read-models/product-search';
import type { CliContext } from './cli-context';
import type { CatalogueEntry } from './processor-catalogue';

export interface SearchTargetChoice {
  target: string;
  /** True when an interrupted rebuild's target is reused, so the rebuild resumes into it. */
  resumed: boolean;
}

/**
 * The search target a rebuild of the search processor writes into. An interrupted rebuild left
 * a marker (rebuild.ts) and the newest search target: reuse it, or the resumed state fold
 * (which skips what it already did) would index into an empty target. That target may already
 * be live, when the rebuild stopped between its two swaps (the alias goes first, see
 * engine/swap-order.ts); it is reused all the same, and the documents swap after it.
 */
export async function searchTargetForRebuild(
  context: CliContext,
  entry: CatalogueEntry,
): Promise<SearchTargetChoice> {
  const { store, search } = context;
  await store.ensureCollection(REBUILDS);
  const marker = await store.get<{ target: string }>(REBUILDS.name, entry.name);
  if (marker) {
    const documents = await store.targets(entry.collection.name);
    const alias = await search.aliasState(PRODUCT_SEARCH_INDEX.name);
    const newest = alias.targets[alias.targets.length - 1];
    if (documents.live !== marker.target && newest !== undefined && newest !== alias.previous) {
      return { target: newest, resumed: true };
    }
  }
  return { target: await search.createTarget(PRODUCT_SEARCH_INDEX.name), resumed: false };
}

/** Makes `target` the live search target; the one it replaces is kept for rollback. */
export function swapSearchAlias(context: CliContext, target: string): Promise<void> {
  return context.search.swapAlias(PRODUCT_SEARCH_INDEX.name, target);
}

export async function requireSearchPrevious(context: CliContext, name: string): Promise<void> {
  const alias = await context.search.aliasState(PRODUCT_SEARCH_INDEX.name);
  if (alias.previous === null) {
    throw new Error(
      `${name}: the search index "${PRODUCT_SEARCH_INDEX.name}" has no previous target to roll back to`,
    );
  }
}

export function rollbackSearchAlias(context: CliContext): Promise<string> {
  return context.search.rollback(PRODUCT_SEARCH_INDEX.name);
}

export function newSearchTarget(context: CliContext): Promise<string> {
  return context.search.createTarget(PRODUCT_SEARCH_INDEX.name);
}
