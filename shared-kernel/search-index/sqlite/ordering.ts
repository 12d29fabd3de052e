import type { CursorValues } from '../cursor';
import type { IndexDeclaration } from '../port';
import type { PreparedQuery } from '../query';
import { columnOf, type Columns } from './columns';

/**
 * Text in code point order, which is SQLite's BINARY collation of UTF-8 and Elasticsearch's
 * order of keywords. UTF-16 order differs from it only between a surrogate and a unit above
 * U+E000, which the shift below puts the right way round.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/**
 * The order of one search: relevance (score descending, id ascending), id ascending without
 * text, or a field then id, both in the field's direction. `compare` is negative when the first
 * document comes first; `cursor` and `after` implement keyset pagination on (value, id).
 */
export interface Order {
  compare(a: number, aScore: number, b: number, bScore: number): number;
  after(seq: number, score: number): boolean;
  cursor(seq: number, score: number): CursorValues;
}

export function searchOrder(
  declaration: IndexDeclaration,
  columns: Columns,
  query: PreparedQuery,
): Order {
  const ids = columns.ids;
  const id = (seq: number) => ids[seq] as string;
  const compareIds = idComparison(columns);
  const cursorId = query.after?.[query.after.length - 1] as string | undefined;
  let value: (seq: number, score: number) => number | string;
  let direction = 1;
  let idDirection = 1;
  if (query.sort.kind === 'field') {
    const column = columnOf(declaration, columns, query.sort.field.name);
    direction = idDirection = query.sort.order === 'asc' ? 1 : -1;
    if (column.kind === 'keyword') {
      const { codes, values } = column;
      value = (seq) => values[codes[seq] as number] as string;
    } else {
      const values = column.values;
      value = (seq) => values[seq] as number;
    }
  } else if (query.text !== null) {
    direction = -1;
    value = (_seq, score) => score;
  } else {
    return {
      compare: (a, _aScore, b) => compareIds(a, b),
      after: (seq) => cursorId === undefined || compareText(id(seq), cursorId) > 0,
      cursor: (seq) => [id(seq)],
    };
  }
  const compareValues = (x: number | string, y: number | string) =>
    typeof x === 'number' ? x - (y as number) : compareText(x, y as string);
  const compare = (a: number, aScore: number, b: number, bScore: number) =>
    direction * compareValues(value(a, aScore), value(b, bScore)) || idDirection * compareIds(a, b);
  const after = query.after;
  return {
    compare,
    after: (seq, score) => {
      if (after === null) return true;
      const [cursorValue, cursorId] = after as [string | number, string];
      const byValue = direction * compareValues(value(seq, score), cursorValue);
      return byValue > 0 || (byValue === 0 && idDirection * compareText(id(seq), cursorId) > 0);
    },
    cursor: (seq, score) => [value(seq, score), id(seq)],
  };
}

/** Ids by seq in code point order, natively when neither holds a unit from U+D800 up. */
function idComparison(columns: Columns): (a: number, b: number) => number {
  const { ids, plainIds } = columns;
  return (a, b) => {
    const x = ids[a] as string;
    const y = ids[b] as string;
    if (plainIds[a] === 1 && plainIds[b] === 1) return x < y ? -1 : x > y ? 1 : 0;
    return compareText(x, y);
  };
}

/** The first `size` documents in `order` among those offered, without sorting them all. */
export function bestOf(size: number, order: Order) {
  const seqs: number[] = [];
  const scores: number[] = [];
  // A heap with the last of the kept documents on top, so most offers cost one comparison.
  const later = (i: number, j: number) =>
    order.compare(seqs[i] as number, scores[i] as number, seqs[j] as number, scores[j] as number) >
    0;
  const swap = (i: number, j: number) => {
    [seqs[i], seqs[j]] = [seqs[j] as number, seqs[i] as number];
    [scores[i], scores[j]] = [scores[j] as number, scores[i] as number];
  };
  const siftDown = (from: number) => {
    for (let i = from; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let top = i;
      if (left < seqs.length && later(left, top)) top = left;
      if (right < seqs.length && later(right, top)) top = right;
      if (top === i) return;
      swap(i, top);
      i = top;
    }
  };
  return {
    offer(seq: number, score: number): void {
      if (seqs.length < size) {
        seqs.push(seq);
        scores.push(score);
        for (let i = seqs.length - 1; i > 0;) {
          const parent = (i - 1) >> 1;
          if (!later(i, parent)) break;
          swap(i, parent);
          i = parent;
        }
      } else if (order.compare(seq, score, seqs[0] as number, scores[0] as number) < 0) {
        seqs[0] = seq;
        scores[0] = score;
        siftDown(0);
      }
    },
    /** The kept documents, first to last. */
    sorted(): Array<{ seq: number; score: number }> {
      return seqs
        .map((seq, i) => ({ seq, score: scores[i] as number }))
        .sort((a, b) => order.compare(a.seq, a.score, b.seq, b.score));
    },
  };
}
