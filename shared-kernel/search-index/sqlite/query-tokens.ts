import type { Database } from 'better-sqlite3';
import { TOKENIZER } from './schema';

/**
 * Turns query chunks into the terms FTS5 indexed for them, with FTS5's own tokenizer: each chunk
 * is written as a row of a temporary FTS5 table (this connection's, never the database file)
 * and read back through its instance vocabulary. So "Lamps", "lamp" and "LAMP" give the term
 * the documents hold ("lamp"), "t-shirt" gives the phrase ["t", "shirt"], and a chunk the
 * tokenizer keeps nothing of gives no term and is left out of the query.
 */
export function queryTokenizer(db: Database): (chunks: readonly string[]) => string[][] {
  db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.strata_query_text USING fts5(chunk, tokenize = '${TOKENIZER}');
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.strata_query_terms USING fts5vocab(temp, strata_query_text, instance);
  `);
  const insert = db.prepare('INSERT INTO temp.strata_query_text (rowid, chunk) VALUES (?, ?)');
  const terms = db
    .prepare<[], [string, number, number]>('SELECT term, doc, offset FROM temp.strata_query_terms')
    .raw();
  const clear = db.prepare('DELETE FROM temp.strata_query_text');
  return (chunks) => {
    chunks.forEach((chunk, i) => insert.run(i, chunk));
    const phrases = chunks.map((): Array<[number, string]> => []);
    for (const [term, chunk, offset] of terms.all()) phrases[chunk]?.push([offset, term]);
    clear.run();
    return phrases
      .map((phrase) => phrase.sort((a, b) => a[0] - b[0]).map(([, term]) => term))
      .filter((phrase) => phrase.length > 0);
  };
}
