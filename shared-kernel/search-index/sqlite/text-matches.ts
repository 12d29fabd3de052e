import type { Database, Statement } from 'better-sqlite3';
import type { IndexDeclaration } from '../port';
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

interface Scored {
  seqs: number[];
  scores: number[];
}

/** How often a phrase occurs in each document holding it, by ascending seq. */
interface Occurrences {
  seqs: number[];
  counts: number[];
}

/**
 * Finds the documents holding every chunk of a text, each in any text field, and scores them.
 * Each text field's FTS5 table is read through its instance vocabulary (every occurrence of a
 * term: document and position), which gives the term frequencies BM25 needs without computing
 * FTS5's own `bm25()` per row; the field lengths come from the columns.
 */
export function textMatcher(db: Database, target: string, declaration: IndexDeclaration) {
  const tokenize = queryTokenizer(db);
  const fields = declaration.text.map((field) => {
    const vocabulary = quoteIdentifier(`${target}__terms_${field.name}`);
    db.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS temp.${vocabulary} USING fts5vocab(main, ${textTable(target, field.name)}, instance)`,
    );
    return {
      boost: field.boost,
      documents: db
        .prepare<[string], number>(`SELECT doc FROM temp.${vocabulary} WHERE term = ?`)
        .pluck() as Statement<[string], number>,
      positions: db
        .prepare<[string], [number, number]>(
          `SELECT doc, offset FROM temp.${vocabulary} WHERE term = ?`,
        )
        .raw() as Statement<[string], [number, number]>,
    };
  });

  return (text: string, columns: Columns): TextMatch => {
    const phrases = tokenize(queryChunks(text));
    if (phrases.length === 0) return { seqs: new Int32Array(0), scores: new Float64Array(0) };
    const perPhrase = phrases.map((phrase) => {
      const found = fields.map((field) =>
        phrase.length === 1
          ? countRuns(field.documents.all(phrase[0] as string))
          : phraseOccurrences(phrase.map((term) => field.positions.all(term))),
      );
      const idf = termIdf(columns.liveCount, Math.max(...found.map((f) => f.seqs.length)));
      return found
        .map((occurrences, i): Scored => {
          const { boost } = fields[i] as (typeof fields)[number];
          const lengths = columns.lengths[i] as Int32Array;
          const average = averageLength(columns, i);
          return {
            seqs: occurrences.seqs,
            scores: occurrences.seqs.map((seq, j) =>
              fieldScore(boost, idf, occurrences.counts[j] ?? 0, lengths[seq] ?? 0, average),
            ),
          };
        })
        .reduce(bestOfBoth);
    });
    perPhrase.sort((a, b) => a.seqs.length - b.seqs.length);
    const all = perPhrase.reduce(inBoth);
    return { seqs: Int32Array.from(all.seqs), scores: Float64Array.from(all.scores) };
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
function countRuns(docs: number[]): Occurrences {
  const out: Occurrences = { seqs: [], counts: [] };
  for (const doc of docs) {
    if (out.seqs[out.seqs.length - 1] === doc) out.counts[out.counts.length - 1]! += 1;
    else {
      out.seqs.push(doc);
      out.counts.push(1);
    }
  }
  return out;
}

/** Where the terms of a phrase stand one after the other, as FTS5 matches a phrase. */
function phraseOccurrences(terms: Array<Array<[number, number]>>): Occurrences {
  const at = terms.map(
    (occurrences) => new Set(occurrences.map(([doc, offset]) => `${doc}:${offset}`)),
  );
  const counts = new Map<number, number>();
  for (const [doc, offset] of terms[0] ?? []) {
    if (at.every((positions, i) => positions.has(`${doc}:${offset + i}`))) {
      counts.set(doc, (counts.get(doc) ?? 0) + 1);
    }
  }
  const seqs = [...counts.keys()].sort((a, b) => a - b);
  return { seqs, counts: seqs.map((seq) => counts.get(seq) ?? 0) };
}

/** Union of two seq-ordered lists, keeping the better score of a seq in both (tie_breaker 0). */
function bestOfBoth(a: Scored, b: Scored): Scored {
  const out: Scored = { seqs: [], scores: [] };
  let i = 0;
  let j = 0;
  while (i < a.seqs.length || j < b.seqs.length) {
    const x = a.seqs[i] ?? Infinity;
    const y = b.seqs[j] ?? Infinity;
    out.seqs.push(Math.min(x, y));
    if (x === y) out.scores.push(Math.max(a.scores[i++] ?? 0, b.scores[j++] ?? 0));
    else if (x < y) out.scores.push(a.scores[i++] ?? 0);
    else out.scores.push(b.scores[j++] ?? 0);
  }
  return out;
}

/** Intersection of two seq-ordered lists, adding the scores (every phrase is required). */
function inBoth(a: Scored, b: Scored): Scored {
  const out: Scored = { seqs: [], scores: [] };
  let j = 0;
  for (let i = 0; i < a.seqs.length; i++) {
    const seq = a.seqs[i] as number;
    while (j < b.seqs.length && (b.seqs[j] as number) < seq) j++;
    if (b.seqs[j] === seq) {
      out.seqs.push(seq);
      out.scores.push((a.scores[i] ?? 0) + (b.scores[j] ?? 0));
    }
  }
  return out;
}
