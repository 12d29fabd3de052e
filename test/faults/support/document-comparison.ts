import { isDeepStrictEqual } from 'node:util';
import type { DocumentStore } from '../../../shared-kernel/document-store/port';

export interface CollectionComparison {
  collection: string;
  /** Documents in the store under test and in the reference build. */
  documents: number;
  reference: number;
  /** How many positions (in id order) hold different documents, and the first few of them. */
  differing: number;
  examples: string[];
}

const PAGE = 1000;

/**
 * Compares a collection document by document with a reference build (a clean fold or a
 * rebuild), paging both in id order in step, so a collection of any size takes two pages of
 * memory. Equal collections give `differing: 0` and equal counts.
 */
export async function compareCollection(
  actual: DocumentStore,
  reference: DocumentStore,
  collection: string,
): Promise<CollectionComparison> {
  const result: CollectionComparison = {
    collection,
    documents: 0,
    reference: 0,
    differing: 0,
    examples: [],
  };
  let cursors: [string | null, string | null] = [null, null];
  let done = [false, false];
  while (!done[0] || !done[1]) {
    const [mine, theirs] = await Promise.all([
      done[0] ? null : actual.find(collection, { limit: PAGE, cursor: cursors[0] }),
      done[1] ? null : reference.find(collection, { limit: PAGE, cursor: cursors[1] }),
    ]);
    const left = mine?.items ?? [];
    const right = theirs?.items ?? [];
    result.documents += left.length;
    result.reference += right.length;
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      if (isDeepStrictEqual(left[i], right[i])) continue;
      result.differing += 1;
      if (result.examples.length < 3) {
        result.examples.push(`${JSON.stringify(left[i])} != ${JSON.stringify(right[i])}`);
      }
    }
    cursors = [mine?.nextCursor ?? null, theirs?.nextCursor ?? null];
    done = [done[0] || cursors[0] === null, done[1] || cursors[1] === null];
  }
  return result;
}
