import type { IndexDeclaration, TypedField } from '../port';

/**
 * A keyword column is dictionary-coded (-1: no value); every other type is a number (NaN: no
 * value; booleans 0 and 1, dates epoch milliseconds), so a filter or a facet reads one array slot.
 */
export type Column =
  | { kind: 'keyword'; codes: Int32Array; values: string[]; codeOf: Map<string, number> }
  | { kind: 'number'; values: Float64Array }
  /** A field no search has used yet: it is loaded when one does. */
  | { kind: 'absent' };

/** The typed fields of every document of a target, by `seq`, in memory. */
export interface Columns {
  /** One past the highest seq loaded. */
  size: number;
  /** 1 for a live document, 0 for a tombstone or a seq never used. */
  live: Uint8Array;
  liveCount: number;
  ids: string[];
  /** 1 when the id has no UTF-16 unit from U+D800 up, so native string order is code point order. */
  plainIds: Uint8Array;
  /** In declaration order. */
  fields: Column[];
  /** Per text field, in declaration order: each document's length in words (0 for none). */
  lengths: Int32Array[];
  /** Per text field: the lengths added up over live documents, and how many have a word. */
  lengthSums: number[];
  withText: number[];
}

/** A text field's average length over the live documents that have any of it (Lucene's avgdl). */
export function averageLength(columns: Columns, field: number): number {
  return (columns.lengthSums[field] ?? 0) / Math.max(1, columns.withText[field] ?? 0);
}

export type Row = [number, string, number, ...Array<string | number | null>];

export function emptyColumns(
  declaration: IndexDeclaration,
  used: readonly number[],
  capacity: number,
): Columns {
  return {
    size: 0,
    live: new Uint8Array(capacity),
    liveCount: 0,
    ids: [],
    plainIds: new Uint8Array(capacity),
    fields: declaration.fields.map((field, i): Column =>
      used.includes(i) ? emptyColumn(field, capacity) : { kind: 'absent' },
    ),
    lengths: declaration.text.map(() => new Int32Array(capacity)),
    lengthSums: declaration.text.map(() => 0),
    withText: declaration.text.map(() => 0),
  };
}

/** A column of `field` holding no value yet, for seqs below `capacity`. */
export function emptyColumn(field: TypedField, capacity: number): Column {
  return field.type === 'keyword'
    ? { kind: 'keyword', codes: new Int32Array(capacity).fill(-1), values: [], codeOf: new Map() }
    : { kind: 'number', values: new Float64Array(capacity).fill(NaN) };
}

/** Puts a value read from SQLite into a loaded column at `seq`. */
export function storeValue(column: Column, seq: number, value: string | number | null): void {
  if (column.kind === 'number') column.values[seq] = value === null ? NaN : Number(value);
  else if (column.kind === 'keyword') {
    let code = typeof value === 'string' ? column.codeOf.get(value) : -1;
    if (code === undefined) {
      code = column.values.push(value as string) - 1;
      column.codeOf.set(value as string, code);
    }
    column.codes[seq] = code;
  }
}

/** Stores one row (seq, id, deleted, the `used` fields, the text lengths) into the columns. */
export function store(columns: Columns, used: readonly number[], row: Row): void {
  const [seq, id, deleted] = row;
  if (seq >= columns.live.length) grow(columns, Math.max(seq + 1, columns.live.length * 2));
  if (seq >= columns.size) columns.size = seq + 1;
  const live = deleted === 0 ? 1 : 0;
  const wasLive = columns.live[seq] ?? 0;
  columns.liveCount += live - wasLive;
  columns.live[seq] = live;
  const fieldCount = used.length;
  for (let i = 0; i < columns.lengths.length; i++) {
    const lengths = columns.lengths[i] as Int32Array;
    const before = wasLive ? (lengths[seq] as number) : 0;
    const after = live ? Number(row[3 + fieldCount + i] ?? 0) : 0;
    lengths[seq] = after;
    columns.lengthSums[i] = (columns.lengthSums[i] ?? 0) + after - before;
    columns.withText[i] = (columns.withText[i] ?? 0) + Number(after > 0) - Number(before > 0);
  }
  columns.ids[seq] = id;
  columns.plainIds[seq] = BEYOND_PLAIN.test(id) ? 0 : 1;
  for (let k = 0; k < used.length; k++) {
    storeValue(columns.fields[used[k] as number] as Column, seq, row[3 + k] ?? null);
  }
}

const BEYOND_PLAIN = /[\ud800-\uffff]/;

function grow(columns: Columns, capacity: number): void {
  const live = new Uint8Array(capacity);
  live.set(columns.live);
  columns.live = live;
  const plainIds = new Uint8Array(capacity);
  plainIds.set(columns.plainIds);
  columns.plainIds = plainIds;
  columns.lengths = columns.lengths.map((lengths) => {
    const grown = new Int32Array(capacity);
    grown.set(lengths);
    return grown;
  });
  for (const column of columns.fields) {
    if (column.kind === 'absent') continue;
    if (column.kind === 'keyword') {
      const codes = new Int32Array(capacity).fill(-1);
      codes.set(column.codes);
      column.codes = codes;
    } else {
      const values = new Float64Array(capacity).fill(NaN);
      values.set(column.values);
      column.values = values;
    }
  }
}

/** Which column of `columns` holds a declared typed field. */
export function columnOf(
  declaration: IndexDeclaration,
  columns: Columns,
  name: string,
): Exclude<Column, { kind: 'absent' }> {
  const column = columns.fields[declaration.fields.findIndex((field) => field.name === name)];
  if (!column || column.kind === 'absent') throw new Error(`field ${name} is not loaded`);
  return column;
}
