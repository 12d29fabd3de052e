import type { Database } from 'better-sqlite3';
import { encodeCursor } from '../cursor';
import type { IndexDeclaration, SearchHit, SearchPage } from '../port';
import type { PreparedQuery } from '../query';
import { columnLoader } from './column-loader';
import type { Columns } from './columns';
import { queryChunks } from './query-chunks';
import { bestOf, searchOrder } from './ordering';
import { boundedCache } from './bounded-cache';
import { docsTable } from './schema';
import { selection, type Selected } from './selection';
import { textMatcher, type TextMatch } from './text-matches';

/** Texts whose matches are kept, and how many matched documents (12 bytes each) in all. */
const CACHED_TEXTS = 256;
const CACHED_MATCHES = 1_000_000;
/**
 * Without text, documents go by id: past this many matches, the page is read from the id index
 * (stopping at the page's end) rather than picked out of every match by comparing ids.
 */
const ID_INDEX_FROM = 2_048;

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
  const byId = db
    .prepare<[string], number>(`SELECT seq FROM ${docsTable(target)} WHERE id > ? ORDER BY id`)
    .pluck();
  const docOf = db
    .prepare<[number], string>(`SELECT doc FROM ${docsTable(target)} WHERE seq = ?`)
    .pluck();
  const matches = boundedCache<TextMatch>(CACHED_TEXTS, CACHED_MATCHES, (m) => m.seqs.length);
  const textMatch = (text: string, generation: string, columns: Columns): TextMatch => {
    matches.at(generation);
    const key = queryChunks(text).join(' ');
    let match = matches.get(key);
    if (!match) {
      match = matchText(text, columns, generation);
      matches.set(key, match);
    }
    return match;
  };

  // Reused from search to search: they grow to the largest candidate set seen.
  const selected: Selected = { count: 0, seqs: new Int32Array(0), scores: new Float64Array(0) };
  let selectedMask = new Uint8Array(0);

  /** The first `size` selected documents after the cursor id, in id order, from the index. */
  const firstById = (
    columns: Columns,
    after: string,
    size: number,
  ): Array<{ seq: number; score: number }> => {
    if (selectedMask.length < columns.size) selectedMask = new Uint8Array(columns.size);
    const { count, seqs } = selected;
    for (let i = 0; i < count; i++) selectedMask[seqs[i] as number] = 1;
    const page: Array<{ seq: number; score: number }> = [];
    for (const seq of byId.iterate(after)) {
      if (selectedMask[seq] !== 1) continue;
      page.push({ seq, score: 0 });
      if (page.length === size) break;
    }
    for (let i = 0; i < count; i++) selectedMask[seqs[i] as number] = 0;
    return page;
  };

  return db.transaction((query: PreparedQuery): SearchPage => {
    const { columns, textGeneration } = loadColumns([
      ...query.filters.map((filter) => filter.field.name),
      ...query.facets.map((facet) => facet.field.name),
      ...(query.sort.kind === 'field' ? [query.sort.field.name] : []),
    ]);
    const match = query.text === null ? null : textMatch(query.text, textGeneration, columns);
    const candidates = match ? match.seqs.length : columns.size;
    if (selected.seqs.length < candidates) {
      selected.seqs = new Int32Array(candidates);
      selected.scores = new Float64Array(candidates);
    }
    const { scan, facetBuckets } = selection(declaration, columns, query.filters, query.facets);
    scan(match?.seqs ?? null, match?.scores ?? null, selected);
    const order = searchOrder(declaration, columns, query);
    let kept: Array<{ seq: number; score: number }>;
    if (query.text === null && query.sort.kind === 'relevance' && selected.count > ID_INDEX_FROM) {
      kept = firstById(columns, (query.after?.[0] as string | undefined) ?? '', query.limit + 1);
    } else {
      const best = bestOf(query.limit + 1, order);
      for (let i = 0; i < selected.count; i++) {
        const seq = selected.seqs[i] as number;
        const score = selected.scores[i] as number;
        if (order.after(seq, score)) best.offer(seq, score);
      }
      kept = best.sorted();
    }
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
    return { hits, total: selected.count, facets: facetBuckets(), nextCursor };
  });
}
