import type { Database, Statement } from 'better-sqlite3';
import type { IndexDeclaration } from '../port';
import { boundedCache } from './bounded-cache';
import { averageLength, type Columns } from './columns';
import { queryTokenizer } from './query-tokens';
import { queryChunks } from './query-chunks';
import { fieldScore, termIdf } from './relevance';
import { quoteIdentifier, textTable } from './schema';

/** The documents matching a text, by ascending seq, with their relevance (see relevance.ts). */
export interface TextMatch {
  seqs: Int32Array;
  scores: Float64Array;
}

/** How often a phrase occurs in each document of one field holding it, by ascending seq. */
interface Occurrences {
  seqs: Int32Array;
  counts: Int32Array;
}

/** Occurrences kept per field and phrase: 8 bytes each, so at most 16 MiB. */
const KEPT_PHRASES = 1024;
const KEPT_OCCURRENCES = 2_000_000;

/**
 * Finds the documents holding every chunk of a text, each in any text field, and scores them.
 * Each text field's FTS5 table is read through its instance vocabulary (every occurrence of a
 * term: document and position), which gives the term frequencies BM25 needs without computing
 * FTS5's own `bm25()` per row; SQLite hands them over as one JSON array rather than a row
 * each. A phrase's occurrences in a field are kept until any text of the target changes, so a
 * new text made of words searched before costs only the merge; the scores are computed anew
 * each time from the current lengths and document counts.
 */
export function textMatcher(db: Database, target: string, declaration: IndexDeclaration) {
  const tokenize = queryTokenizer(db);
  const fields = declaration.text.map((field) => {
    const vocabulary = quoteIdentifier(`${target}__terms_${field.name}`);
    db.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS temp.${vocabulary} USING fts5vocab(main, ${textTable(target, field.name)}, instance)`,
    );
    const read = `FROM temp.${vocabulary} WHERE term = ?`;
    return {
      boost: field.boost,
      documents: db
        .prepare<[string], string>(`SELECT json_group_array(doc) ${read}`)
        .pluck() as Statement<[string], string>,
      positions: db
        .prepare<[string], [string, string]>(
          `SELECT json_group_array(doc), json_group_array(offset) ${read}`,
        )
        .raw() as Statement<[string], [string, string]>,
    };
  });
  const kept = boundedCache<Occurrences>(KEPT_PHRASES, KEPT_OCCURRENCES, (o) => o.seqs.length);

  const occurrences = (field: number, phrase: readonly string[]): Occurrences => {
    const key = `${field}:${phrase.join(' ')}`;
    let found = kept.get(key);
    if (found) return found;
    const { documents, positions } = fields[field] as (typeof fields)[number];
    found =
      phrase.length === 1
        ? countRuns(JSON.parse(documents.get(phrase[0] as string) ?? '[]') as number[])
        : phraseOccurrences(
            phrase.map((term) => {
              const [docs, offsets] = positions.get(term) ?? ['[]', '[]'];
              return {
                docs: JSON.parse(docs) as number[],
                offsets: JSON.parse(offsets) as number[],
              };
            }),
          );
    kept.set(key, found);
    return found;
  };

  /** `generation` names the target's texts as of this search (see column-loader.ts). */
  return (text: string, columns: Columns, generation: string): TextMatch => {
    kept.at(generation);
    const phrases = tokenize(queryChunks(text));
    if (phrases.length === 0) return { seqs: new Int32Array(0), scores: new Float64Array(0) };
    const perPhrase = phrases.map((phrase) => {
      const found = fields.map((_, field) => occurrences(field, phrase));
      const idf = termIdf(columns.liveCount, Math.max(...found.map((f) => f.seqs.length)));
      return found
        .map(({ seqs, counts }, field): TextMatch => {
          const { boost } = fields[field] as (typeof fields)[number];
          const lengths = columns.lengths[field] as Int32Array;
          const average = averageLength(columns, field);
          const scores = new Float64Array(seqs.length);
          for (let i = 0; i < seqs.length; i++) {
            const seq = seqs[i] as number;
            scores[i] = fieldScore(boost, idf, counts[i] as number, lengths[seq] ?? 0, average);
          }
          return { seqs, scores };
        })
        .reduce(bestOfBoth);
    });
    perPhrase.sort((a, b) => a.seqs.length - b.seqs.length);
    // A copy that holds only the matches: the merges allocate for the worst case.
    const all = perPhrase.reduce(inBoth);
    return { seqs: all.seqs.slice(), scores: all.scores.slice() };
  };
}

/** Drops this connection's vocabularies of a target (the target's tables are being dropped). */
export function dropVocabularies(db: Database, target: string): void {
  const names = db
    .prepare<[string], string>(
      `SELECT name FROM sqlite_temp_master WHERE type = 'table' AND name GLOB ?`,
    )
    .pluck()
    .all(`${target}__terms_*`);
  for (const name of names) db.exec(`DROP TABLE temp.${quoteIdentifier(name)}`);
}

/** One term's occurrences, a doc per occurrence in doc order, as documents and counts. */
function countRuns(docs: readonly number[]): Occurrences {
  const seqs = new Int32Array(docs.length);
  const counts = new Int32Array(docs.length);
  let n = -1;
  for (const doc of docs) {
    if (n >= 0 && seqs[n] === doc) counts[n] = (counts[n] as number) + 1;
    else {
      seqs[++n] = doc;
      counts[n] = 1;
    }
  }
  return { seqs: seqs.slice(0, n + 1), counts: counts.slice(0, n + 1) };
}

/** Where the terms of a phrase stand one after the other, as FTS5 matches a phrase. */
function phraseOccurrences(
  terms: ReadonlyArray<{ docs: number[]; offsets: number[] }>,
): Occurrences {
  const at = terms.map(
    ({ docs, offsets }) => new Set(docs.map((doc, i) => `${doc}:${offsets[i] ?? -1}`)),
  );
  const counts = new Map<number, number>();
  const first = terms[0] ?? { docs: [], offsets: [] };
  first.docs.forEach((doc, i) => {
    const offset = first.offsets[i] ?? 0;
    if (at.every((positions, k) => positions.has(`${doc}:${offset + k}`))) {
      counts.set(doc, (counts.get(doc) ?? 0) + 1);
    }
  });
  const seqs = Int32Array.from(counts.keys()).sort();
  return { seqs, counts: Int32Array.from(seqs, (seq) => counts.get(seq) ?? 0) };
}

/** Union of two seq-ordered lists, keeping the better score of a seq in both (tie_breaker 0). */
function bestOfBoth(a: TextMatch, b: TextMatch): TextMatch {
  const seqs = new Int32Array(a.seqs.length + b.seqs.length);
  const scores = new Float64Array(seqs.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.seqs.length || j < b.seqs.length) {
    const x = i < a.seqs.length ? (a.seqs[i] as number) : Infinity;
    const y = j < b.seqs.length ? (b.seqs[j] as number) : Infinity;
    seqs[n] = Math.min(x, y);
    if (x === y) scores[n++] = Math.max(a.scores[i++] as number, b.scores[j++] as number);
    else if (x < y) scores[n++] = a.scores[i++] as number;
    else scores[n++] = b.scores[j++] as number;
  }
  return { seqs: seqs.subarray(0, n), scores: scores.subarray(0, n) };
}

/** Intersection of two seq-ordered lists, adding the scores (every phrase is required). */
function inBoth(a: TextMatch, b: TextMatch): TextMatch {
  const seqs = new Int32Array(Math.min(a.seqs.length, b.seqs.length));
  const scores = new Float64Array(seqs.length);
  let j = 0;
  let n = 0;
  for (let i = 0; i < a.seqs.length; i++) {
    const seq = a.seqs[i] as number;
    while (j < b.seqs.length && (b.seqs[j] as number) < seq) j++;
    if (b.seqs[j] === seq) {
      seqs[n] = seq;
      scores[n++] = (a.scores[i] as number) + (b.scores[j] as number);
    }
  }
  return { seqs: seqs.subarray(0, n), scores: scores.subarray(0, n) };
}
