import { MAX_QUERY_LIMIT, type Doc, type DocumentStore, type Page, type Query } from './port';

/**
 * Every document `query` matches, read page by page (`limit` is the page size, the largest by
 * default): for a caller that needs the whole set, such as a CLI listing or a spec's check.
 */
export async function findAll<T extends Doc = Doc>(
  store: DocumentStore,
  collection: string,
  query: Omit<Query, 'cursor' | 'limit'> & { limit?: number } = {},
): Promise<T[]> {
  const documents: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await store.find<T>(collection, {
      ...query,
      cursor,
      limit: query.limit ?? MAX_QUERY_LIMIT,
    });
    documents.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return documents;
}
