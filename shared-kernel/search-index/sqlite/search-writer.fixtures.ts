import { productDeclaration } from '../contract/contract.fixtures';
import type { SearchIndex } from '../port';
import { openSqliteSearchIndex } from './sqlite-search-index';

/**
 * A writer of the embedded search index in a process of its own, as the worker or the CLI is
 * to the query API: `node search-writer.fixtures.js <file> <index name>`, then IPC messages
 * each holding calls of the SearchIndex port, applied in order and answered with their results.
 */
export type WriterCall = {
  [M in keyof SearchIndex]: { method: M; args: Parameters<SearchIndex[M]> };
}[keyof SearchIndex];

export type WriterAnswer = { results: unknown[] } | { error: string };

if (require.main === module) {
  const [file, indexName] = process.argv.slice(2) as [string, string];
  const index = openSqliteSearchIndex({ file, declarations: [productDeclaration(indexName)] });
  const call = (c: WriterCall): Promise<unknown> =>
    (index[c.method] as (...args: unknown[]) => Promise<unknown>)(...c.args);
  process.on('message', (calls: WriterCall[]) => {
    void (async (): Promise<WriterAnswer> => {
      const results: unknown[] = [];
      for (const c of calls) results.push(await call(c));
      return { results };
    })()
      .catch((error: unknown) => ({ error: String(error) }))
      .then((answer) => process.send?.(answer));
  });
  process.once('disconnect', () => void index.close());
}
