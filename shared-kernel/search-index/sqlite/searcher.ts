import type { Database } from 'better-sqlite3';
import { encodeCursor } from '../cursor';
import type { IndexDeclaration, SearchHit, SearchPage } from '../port';
import type { PreparedQuery } from '../query';
import { columnLoader } from './columns';
import { matchPhrases } from './match-expression';
import { bestOf, searchOrder } from './ordering';
import { docsTable } from './schema';
import { compileFilters, facetCounter } from './selection';
import { textMatcher, type TextMatch } from './text-matches';

/** Texts whose matches are kept, and how many matched documents they may hold in all. */
const CACHED_TEXTS = 256;
const CACHED_MATCHES = 2_000_000;

/**
 * Searches one target. FTS5 finds and scores the documents holding the text; everything else
 * (filters, total, facets, sort, cursor) runs over in-memory columns, so after the text is
 * matched a search costs a few array reads per matching document, plus one row read per hit.
 * The matches of a text are kept until a write changes any text of the target: most searches
 * repeat a text with other filters, sorts or pages, and most writes change a price or a stock
 * level. Everything is read in one transaction, so a search sees one snapshot.
 */
export function targetSearcher(db: Database, target: string, declaration: IndexDeclaration) {
  const loadColumns = columnLoader(db, target, declaration);
  const matchText = textMatcher(db, target, declaration);
  const docOf = db
    .prepare<[number], string>(`SELECT doc FROM ${docsTable(target)} WHERE seq = ?`)
    .pluck();
  const matches = new Map<string, { textChanged: number; match: TextMatch }>();
  let cachedMatches = 0;

  const textMatch = (text: string, textChanged: number, documents: number): TextMatch => {
    const phrases = matchPhrases(text);
    const key = phrases.join(' ');
    const cached = matches.get(key);
    if (cached) {
      matches.delete(key);
      cachedMatches -= cached.match.seqs.length;
      if (cached.textChanged === textChanged) {
        matches.set(key, cached);
        cachedMatches += cached.match.seqs.length;
        return cached.match;
      }
    }
    const match = matchText(phrases, documents);
    matches.set(key, { textChanged, match });
    cachedMatches += match.seqs.length;
    for (const [oldest, entry] of matches) {
      if (matches.size <= CACHED_TEXTS && cachedMatches <= CACHED_MATCHES) break;
      matches.delete(oldest);
      cachedMatches -= entry.match.seqs.length;
    }
    return match;
  };

  return db.transaction((query: PreparedQuery): SearchPage => {
    const { columns, textChanged } = loadColumns();
    const match =
      query.text === null ? null : textMatch(query.text, textChanged, columns.liveCount);
    const passes = compileFilters(declaration, columns, query.filters);
    const facets = facetCounter(declaration, columns, query.facets);
    const order = searchOrder(declaration, columns, query);
    const best = bestOf(query.limit + 1, order);
    let total = 0;
    const consider = (seq: number, score: number) => {
      if (columns.live[seq] !== 1 || !passes?.(seq)) return;
      total++;
      facets.add(seq);
      if (order.after(seq, score)) best.offer(seq, score);
    };
    if (passes !== null && match !== null) {
      for (let i = 0; i < match.seqs.length; i++) {
        consider(match.seqs[i] as number, match.scores[i] as number);
      }
    } else if (passes !== null) {
      for (let seq = 1; seq < columns.size; seq++) consider(seq, 0);
    }

    const kept = best.sorted();
    const more = kept.length > query.limit;
    const page = more ? kept.slice(0, query.limit) : kept;
    const hits: SearchHit[] = page.map(({ seq, score }) => ({
      id: columns.ids[seq] as string,
      doc: JSON.parse(docOf.get(seq) ?? '{}') as SearchHit['doc'],
      score: match === null ? null : score,
    }));
    const last = page[page.length - 1];
    const nextCursor =
      more && last ? encodeCursor(query.sortKey, order.cursor(last.seq, last.score)) : null;
    return { hits, total, facets: facets.result(), nextCursor };
  });
}
