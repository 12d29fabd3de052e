import type { Database, Statement } from 'better-sqlite3';
import type { IndexDeclaration, TypedField } from '../port';
import { emptyColumn, emptyColumns, store, storeValue, type Columns, type Row } from './columns';
import { docsTable, fieldColumn, lengthColumn } from './schema';

interface Counters {
  epoch: string;
  changed: number;
  text_changed: number;
}

type Value = string | number | null;

/**
 * Keeps the columns of one target current: each search first reads the target's write counter
 * and loads only the rows written since (an index on `changed`), all inside the search's read
 * transaction, so columns, FTS5 and documents come from one snapshot. Only the fields searches
 * have used are loaded (a product's sku or id is rarely filtered on); a search that needs
 * another one loads that field. A whole column is read in one statement, as a JSON array built
 * by SQLite (exact for doubles: 17 digits), which costs far less than a JS row per document.
 */
export function columnLoader(db: Database, target: string, declaration: IndexDeclaration) {
  const docs = docsTable(target);
  const counters = db.prepare<[string], Counters>(
    'SELECT epoch, changed, text_changed FROM search_target_changes WHERE target = ?',
  );
  const name = (i: number) => fieldColumn((declaration.fields[i] as TypedField).name);
  const lengths = declaration.text.map((field) => lengthColumn(field.name));
  const arrays = (columns: readonly string[]) =>
    db
      .prepare<[], string[]>(
        `SELECT ${columns.map((column) => `json_group_array(${column})`).join(', ')} FROM ${docs}`,
      )
      .raw() as Statement<[], string[]>;
  const since = (fields: readonly number[]) =>
    db
      .prepare<[number], Row>(
        `SELECT seq, id, deleted${[...fields.map(name), ...lengths].map((c) => `, ${c}`).join('')} ` +
          `FROM ${docs} WHERE changed > ?`,
      )
      .raw() as Statement<[number], Row>;
  let used: number[] = [];
  let changedRows = since(used);
  let columns: Columns = emptyColumns(declaration, [], 0);
  let loaded: Counters | null = null;

  const loadAll = (): void => {
    const [seqs, ids, deleted, ...rest] = (
      arrays(['seq', 'id', 'deleted', ...lengths]).get() ?? []
    ).map((json) => JSON.parse(json) as Value[]);
    const seqList = (seqs ?? []) as number[];
    columns = emptyColumns(
      declaration,
      [],
      Math.max(1024, (seqList[seqList.length - 1] ?? 0) + 1024),
    );
    const row = [0, '', 0, ...lengths.map(() => 0)] as Row;
    seqList.forEach((seq, k) => {
      row[0] = seq;
      row[1] = (ids as string[])[k] as string;
      row[2] = (deleted as number[])[k] as number;
      rest.forEach((values, i) => (row[3 + i] = values[k] ?? null));
      store(columns, [], row);
    });
    const fields = used;
    used = [];
    for (const field of fields) loadField(field);
  };

  const loadField = (field: number): void => {
    const [seqs, values] = (arrays(['seq', name(field)]).get() ?? []).map(
      (json) => JSON.parse(json) as Value[],
    );
    const column = emptyColumn(declaration.fields[field] as TypedField, columns.live.length);
    ((seqs ?? []) as number[]).forEach((seq, k) => storeValue(column, seq, values?.[k] ?? null));
    columns.fields[field] = column;
    used = [...used, field].sort((a, b) => a - b);
    changedRows = since(used);
  };

  /** The columns as of this transaction, with at least the `needed` fields. */
  return (needed: readonly string[]): { columns: Columns; textGeneration: string } => {
    const now = counters.get(target) ?? { epoch: '', changed: 0, text_changed: 0 };
    if (loaded === null || loaded.epoch !== now.epoch) loadAll();
    else if (now.changed > loaded.changed) {
      for (const row of changedRows.iterate(loaded.changed)) store(columns, used, row);
    }
    loaded = now;
    for (const fieldName of needed) {
      const field = declaration.fields.findIndex((f) => f.name === fieldName);
      if (field >= 0 && !used.includes(field)) loadField(field);
    }
    // A target dropped and made again under its name (a new epoch) counts its writes from 0.
    return { columns, textGeneration: `${now.epoch}:${now.text_changed}` };
  };
}
