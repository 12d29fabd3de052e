import type { Database, Statement } from 'better-sqlite3';
import type { IndexDeclaration } from '../port';
import { fieldScore, fieldTfn, ftsIdf, termIdf } from './relevance';
import { textTable } from './schema';

/** The documents matching a text, by ascending seq, with their relevance (see relevance.ts). */
export interface TextMatch {
  seqs: Int32Array;
  scores: Float64Array;
}

interface Scored {
  seqs: number[];
  scores: number[];
}

/**
 * Finds the documents holding every phrase, each in any text field, and scores them: one FTS5
 * query per phrase and field gives that field's matches with its own `bm25()`.
 */
export function textMatcher(db: Database, target: string, declaration: IndexDeclaration) {
  const fields = declaration.text.map((field) => {
    const table = textTable(target, field.name);
    return {
      boost: field.boost,
      hits: db
        .prepare<[string], [number, number]>(
          `SELECT rowid, bm25(${table}) FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid`,
        )
        .raw(),
      averages: db
        .prepare<[], Buffer | null>(
          `SELECT block FROM ${textTable(target, field.name, 'data')} WHERE id = 1`,
        )
        .pluck() as Statement<[], Buffer | null>,
    };
  });

  return (phrases: readonly string[], documents: number): TextMatch => {
    if (phrases.length === 0) return { seqs: new Int32Array(0), scores: new Float64Array(0) };
    // FTS5's bm25 counts every row its table ever held (its averages record), deleted or not.
    const rowsEver = fields.map((field) => firstVarint(field.averages.get() ?? null));
    const times = new Map<string, number>();
    for (const phrase of phrases) times.set(phrase, (times.get(phrase) ?? 0) + 1);
    const perPhrase = [...times].map(([phrase, count]) => {
      const hits = fields.map((field) => field.hits.all(phrase));
      const idf = termIdf(documents, Math.max(...hits.map((rows) => rows.length)));
      return hits
        .map((rows, i): Scored => {
          const { boost } = fields[i] as (typeof fields)[number];
          const fts = ftsIdf(rowsEver[i] ?? 0, rows.length);
          return {
            seqs: rows.map((row) => row[0]),
            scores: rows.map((row) => count * fieldScore(boost, idf, fieldTfn(row[1], fts))),
          };
        })
        .reduce(bestOfBoth);
    });
    perPhrase.sort((a, b) => a.seqs.length - b.seqs.length);
    const all = perPhrase.reduce(inBoth);
    return { seqs: Int32Array.from(all.seqs), scores: Float64Array.from(all.scores) };
  };
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

/** SQLite's varint (big-endian groups of 7 bits, a full ninth byte); 0 for no record. */
function firstVarint(block: Buffer | null): number {
  if (!block) return 0;
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = block[i] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return value;
  }
  return value * 256 + (block[8] ?? 0);
}
