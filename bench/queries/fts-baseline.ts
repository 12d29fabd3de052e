import Database from 'better-sqlite3';
import path from 'node:path';
import { queryChunks } from '../../shared-kernel/search-index/sqlite/query-chunks';
import { TOKENIZER } from '../../shared-kernel/search-index/sqlite/schema';
import { productText } from './seed-read-models';

/**
 * The raw baseline of a search: one plain FTS5 table over name and description, queried with
 * the same words for the 21 best rows by bm25 (name weighted 3), nothing else: no filters,
 * facets, total, documents or HTTP.
 */
export function ftsBaseline(dir: string, products: number) {
  const db = new Database(path.join(dir, 'fts-baseline.db'));
  db.pragma('journal_mode = WAL');
  db.exec(
    `CREATE VIRTUAL TABLE t USING fts5(name, description, content = '', tokenize = '${TOKENIZER}')`,
  );
  const insert = db.prepare('INSERT INTO t (rowid, name, description) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < products; i++) {
      const { name, description } = productText(i);
      insert.run(i + 1, name, description);
    }
  })();
  const top = db.prepare<[string]>(
    'SELECT rowid, bm25(t, 3, 1) AS score FROM t WHERE t MATCH ? ORDER BY score LIMIT 21',
  );
  return {
    // Each chunk quoted as an FTS5 phrase, so no character of it is query syntax.
    top: (text: string) =>
      top.all(
        queryChunks(text)
          .map((chunk) => `"${chunk.replaceAll('"', '""')}"`)
          .join(' '),
      ),
    close: () => db.close(),
  };
}
