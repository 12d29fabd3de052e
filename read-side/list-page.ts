/** Every list answer of the query API: one page, and the cursor of the next (null at the end). */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}
