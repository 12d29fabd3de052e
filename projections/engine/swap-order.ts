import type { DocumentStore } from '../../shared-kernel/document-store/port';

/**
 * The end of a rebuild: the search alias (when the processor has one) first, the documents
 * second. The other way round loses updates: once the documents swap, the live search
 * processor finds its checkpoint moved, resumes from the rebuilt one and writes through the
 * alias, which still names the OLD index, until the alias moves; those writes never reach the
 * new index. With the alias first, the live processor writes into the new index from that
 * moment (external versions keep a newer document newer), and after the document swap it
 * replays from the rebuilt checkpoint into the same index. A crash between the two swaps is
 * resumed by running the rebuild again: it finds its target not live yet and swaps again.
 */
export async function swapRebuiltTargets(
  store: DocumentStore,
  collection: string,
  target: string,
  swapSearchAlias?: () => Promise<void>,
): Promise<void> {
  await swapSearchAlias?.();
  await store.swap(collection, target);
}
