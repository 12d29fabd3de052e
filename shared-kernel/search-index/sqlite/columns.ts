import type { Database, Statement } from 'better-sqlite3';
import type { IndexDeclaration, TypedField } from '../port';
import { docsTable, fieldColumn, lengthColumn } from './schema';

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
  lengths: Float64Array[];
  /** Per text field: the lengths added up over live documents, and how many have a word. */
  lengthSums: number[];
  withText: number[];
}

/** A text field's average length over the live documents that have any of it (Lucene's avgdl). */
export function averageLength(columns: Columns, field: number): number {
  return (columns.lengthSums[field] ?? 0) / Math.max(1, columns.withText[field] ?? 0);
}

interface Counters {
  epoch: string;
  changed: number;
  text_changed: number;
}

type Row = [number, string, number, ...Array<string | number | null>];

/**
 * Keeps the columns of one target current: each search first reads the target's write counter
 * and loads only the rows written since (an index on `changed`), all inside the search's read
 * transaction, so columns, FTS5 and documents come from one snapshot. Only the fields searches
 * have used are loaded (a product's sku or id is rarely filtered on); a search that needs
 * another one loads every row again with it.
 */
export function columnLoader(db: Database, target: string, declaration: IndexDeclaration) {
  const counters = db.prepare<[string], Counters>(
    'SELECT epoch, changed, text_changed FROM search_target_changes WHERE target = ?',
  );
  const lengths = declaration.text.map((field) => lengthColumn(field.name));
  let used: number[] = [];
  let statements = rowStatements([]);
  let columns: Columns = emptyColumns(declaration, [], 0);
  let loaded: Counters | null = null;

  function rowStatements(fields: readonly number[]) {
    const names = [
      ...fields.map((i) => fieldColumn((declaration.fields[i] as TypedField).name)),
      ...lengths,
    ];
    const select = `SELECT seq, id, deleted${names.map((column) => `, ${column}`).join('')} FROM ${docsTable(target)}`;
    return {
      all: db.prepare<[], Row>(select).raw() as Statement<[], Row>,
      since: db.prepare<[number], Row>(`${select} WHERE changed > ?`).raw() as Statement<
        [number],
        Row
      >,
    };
  }

  /** The columns as of this transaction (with at least the `needed` fields), and the write that last changed any text. */
  return (needed: readonly string[]): { columns: Columns; textChanged: number } => {
    const now = counters.get(target) ?? { epoch: '', changed: 0, text_changed: 0 };
    const missing = needed
      .map((name) => declaration.fields.findIndex((field) => field.name === name))
      .filter((i) => i >= 0 && !used.includes(i));
    if (missing.length > 0) {
      used = [...new Set([...used, ...missing])].sort((a, b) => a - b);
      statements = rowStatements(used);
      loaded = null;
    }
    if (loaded === null || loaded.epoch !== now.epoch) {
      columns = emptyColumns(declaration, used, 1024);
      for (const row of statements.all.iterate()) store(columns, used, row);
    } else if (now.changed > loaded.changed) {
      for (const row of statements.since.iterate(loaded.changed)) store(columns, used, row);
    }
    loaded = now;
    return { columns, textChanged: now.text_changed };
  };
}

function emptyColumns(
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
      !used.includes(i)
        ? { kind: 'absent' }
        : field.type === 'keyword'
          ? {
              kind: 'keyword',
              codes: new Int32Array(capacity).fill(-1),
              values: [],
              codeOf: new Map(),
            }
          : { kind: 'number', values: new Float64Array(capacity).fill(NaN) },
    ),
    lengths: declaration.text.map(() => new Float64Array(capacity)),
    lengthSums: declaration.text.map(() => 0),
    withText: declaration.text.map(() => 0),
  };
}

function store(columns: Columns, used: readonly number[], row: Row): void {
  const [seq, id, deleted] = row;
  if (seq >= columns.live.length) grow(columns, Math.max(seq + 1, columns.live.length * 2));
  if (seq >= columns.size) columns.size = seq + 1;
  const live = deleted === 0 ? 1 : 0;
  const wasLive = columns.live[seq] ?? 0;
  columns.liveCount += live - wasLive;
  columns.live[seq] = live;
  const fieldCount = used.length;
  for (let i = 0; i < columns.lengths.length; i++) {
    const lengths = columns.lengths[i] as Float64Array;
    const before = wasLive ? (lengths[seq] as number) : 0;
    const after = live ? Number(row[3 + fieldCount + i] ?? 0) : 0;
    lengths[seq] = after;
    columns.lengthSums[i] = (columns.lengthSums[i] ?? 0) + after - before;
    columns.withText[i] = (columns.withText[i] ?? 0) + Number(after > 0) - Number(before > 0);
  }
  columns.ids[seq] = id;
  columns.plainIds[seq] = BEYOND_PLAIN.test(id) ? 0 : 1;
  for (let k = 0; k < used.length; k++) {
    const column = columns.fields[used[k] as number] as Column;
    const value = row[3 + k] ?? null;
    if (column.kind === 'number') {
      column.values[seq] = value === null ? NaN : Number(value);
      continue;
    }
    if (column.kind === 'absent') continue;
    let code = -1;
    if (typeof value === 'string') {
      code = column.codeOf.get(value) ?? column.values.length;
      if (code === column.values.length) {
        column.codeOf.set(value, code);
        column.values.push(value);
      }
    }
    column.codes[seq] = code;
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
    const grown = new Float64Array(capacity);
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
