import type { Database, Statement } from 'better-sqlite3';
import type { IndexDeclaration } from '../port';
import { docsTable, fieldColumn } from './schema';

/**
 * A keyword column is dictionary-coded (-1: no value); every other type is a number (NaN: no
 * value; booleans 0 and 1, dates epoch milliseconds), so a filter or a facet reads one array slot.
 */
export type Column =
  | { kind: 'keyword'; codes: Int32Array; values: string[]; codeOf: Map<string, number> }
  | { kind: 'number'; values: Float64Array };

/** The typed fields of every document of a target, by `seq`, in memory. */
export interface Columns {
  /** One past the highest seq loaded. */
  size: number;
  /** 1 for a live document, 0 for a tombstone or a seq never used. */
  live: Uint8Array;
  liveCount: number;
  ids: string[];
  /** In declaration order. */
  fields: Column[];
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
 * transaction, so columns, FTS5 and documents come from one snapshot.
 */
export function columnLoader(db: Database, target: string, declaration: IndexDeclaration) {
  const select = `SELECT seq, id, deleted${declaration.fields.map((f) => `, ${fieldColumn(f.name)}`).join('')} FROM ${docsTable(target)}`;
  const all = db.prepare<[], Row>(select).raw() as Statement<[], Row>;
  const since = db.prepare<[number], Row>(`${select} WHERE changed > ?`).raw() as Statement<
    [number],
    Row
  >;
  const counters = db.prepare<[string], Counters>(
    'SELECT epoch, changed, text_changed FROM search_target_changes WHERE target = ?',
  );
  let columns: Columns = emptyColumns(declaration, 0);
  let loaded: Counters | null = null;

  /** The columns as of this transaction, and the write that last changed any text. */
  return (): { columns: Columns; textChanged: number } => {
    const now = counters.get(target) ?? { epoch: '', changed: 0, text_changed: 0 };
    if (loaded === null || loaded.epoch !== now.epoch) {
      columns = emptyColumns(declaration, 1024);
      for (const row of all.iterate()) store(columns, row);
    } else if (now.changed > loaded.changed) {
      for (const row of since.iterate(loaded.changed)) store(columns, row);
    }
    loaded = now;
    return { columns, textChanged: now.text_changed };
  };
}

function emptyColumns(declaration: IndexDeclaration, capacity: number): Columns {
  return {
    size: 0,
    live: new Uint8Array(capacity),
    liveCount: 0,
    ids: [],
    fields: declaration.fields.map((field) =>
      field.type === 'keyword'
        ? {
            kind: 'keyword',
            codes: new Int32Array(capacity).fill(-1),
            values: [],
            codeOf: new Map(),
          }
        : { kind: 'number', values: new Float64Array(capacity).fill(NaN) },
    ),
  };
}

function store(columns: Columns, row: Row): void {
  const [seq, id, deleted] = row;
  if (seq >= columns.live.length) grow(columns, Math.max(seq + 1, columns.live.length * 2));
  if (seq >= columns.size) columns.size = seq + 1;
  const live = deleted === 0 ? 1 : 0;
  columns.liveCount += live - (columns.live[seq] ?? 0);
  columns.live[seq] = live;
  columns.ids[seq] = id;
  columns.fields.forEach((column, i) => {
    const value = row[3 + i] ?? null;
    if (column.kind === 'number') {
      column.values[seq] = value === null ? NaN : Number(value);
      return;
    }
    let code = -1;
    if (typeof value === 'string') {
      code = column.codeOf.get(value) ?? column.values.length;
      if (code === column.values.length) {
        column.codeOf.set(value, code);
        column.values.push(value);
      }
    }
    column.codes[seq] = code;
  });
}

function grow(columns: Columns, capacity: number): void {
  const live = new Uint8Array(capacity);
  live.set(columns.live);
  columns.live = live;
  for (const column of columns.fields) {
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
export function columnOf(declaration: IndexDeclaration, columns: Columns, name: string): Column {
  const column = columns.fields[declaration.fields.findIndex((field) => field.name === name)];
  if (!column) throw new Error(`no column for field ${name}`);
  return column;
}
