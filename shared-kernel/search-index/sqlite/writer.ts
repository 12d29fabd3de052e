import type { Database, Statement } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { FieldValue, PreparedOperation } from '../prepare-operations';
import type { BulkResult, IndexDeclaration } from '../port';
import { docsTable, fieldColumn, lengthColumn, quoteIdentifier, textTable } from './schema';

type StoredRow = [
  seq: number,
  version: string,
  deleted: number,
  textHash: string | null,
  ...lengths: number[],
];

/**
 * Applies operations to one target. Versions are compared before writing: an operation whose
 * version is not above the stored one (document or tombstone) changes nothing.
 */
export interface TargetWriter {
  apply(ops: readonly PreparedOperation[]): BulkResult;
}

export function targetWriter(
  db: Database,
  target: string,
  declaration: IndexDeclaration,
): TargetWriter {
  const docs = docsTable(target);
  const columns = [
    ...declaration.fields.map((field) => fieldColumn(field.name)),
    ...declaration.text.map((field) => lengthColumn(field.name)),
  ];
  const marks = columns.map(() => ', ?').join('');
  const assignments = columns.map((column) => `, ${column} = ?`).join('');
  const nulls = columns.map((column) => `, ${column} = NULL`).join('');
  const lengths = declaration.text.map((field) => lengthColumn(field.name)).join(', ');

  const find = db
    .prepare<[string], StoredRow>(
      `SELECT seq, version, deleted, text_hash, ${lengths} FROM ${docs} WHERE id = ?`,
    )
    .raw() as Statement<[string], StoredRow>;
  const lastSeq = db.prepare<[], number | null>(`SELECT max(seq) FROM ${docs}`).pluck();
  const insert = db.prepare(
    `INSERT INTO ${docs} (seq, id, version, deleted, text_hash, changed${columns.map((c) => `, ${c}`).join('')}, doc) ` +
      `VALUES (?, ?, ?, ?, ?, ?${marks}, ?)`,
  );
  const update = db.prepare(
    `UPDATE ${docs} SET version = ?, deleted = 0, text_hash = ?, changed = ?${assignments}, doc = ? WHERE seq = ?`,
  );
  const tombstone = db.prepare(
    `UPDATE ${docs} SET version = ?, deleted = 1, text_hash = NULL, changed = ?${nulls}, doc = NULL WHERE seq = ?`,
  );
  const texts = declaration.text.map((field) => ({
    insert: db.prepare(
      `INSERT INTO ${textTable(target, field.name)} (rowid, ${quoteIdentifier(field.name)}) VALUES (?, ?)`,
    ),
    remove: db.prepare(`DELETE FROM ${textTable(target, field.name)} WHERE rowid = ?`),
    // FTS5 keeps each row's length in words (a varint) in its docsize table.
    length: db
      .prepare<[number], Buffer>(
        `SELECT sz FROM ${textTable(target, field.name, 'docsize')} WHERE id = ?`,
      )
      .pluck() as Statement<[number], Buffer>,
  }));
  /** Indexes the text fields of `seq` and returns their lengths in words. */
  const indexText = (seq: number, text: readonly string[]): number[] =>
    texts.map((table, i) => {
      table.insert.run(seq, text[i] ?? '');
      return firstVarint(table.length.get(seq) ?? null);
    });
  const removeText = (seq: number) => texts.forEach((table) => table.remove.run(seq));
  // Each write is numbered, so a reader can load exactly the rows written since it last looked,
  // and knows whether any text (hence any match or score) changed.
  const nextChange = db
    .prepare<[string], number>(
      'UPDATE search_target_changes SET changed = changed + 1 WHERE target = ? RETURNING changed',
    )
    .pluck();
  const textChanged = db.prepare(
    'UPDATE search_target_changes SET text_changed = changed WHERE target = ?',
  );
  const noValues = columns.map(() => null);

  const applyAll = db.transaction((ops: readonly PreparedOperation[]): BulkResult => {
    let applied = 0;
    let ignored = 0;
    let textWritten = false;
    const change = nextChange.get(target) ?? 0;
    // Seqs are handed out here, so a new document's text (and its length) goes in before its row.
    let seq = lastSeq.get() ?? 0;
    for (const op of ops) {
      const stored = find.get(op.id);
      if (stored && stored[1] >= op.version) {
        ignored++;
        continue;
      }
      applied++;
      if (op.op === 'delete') {
        if (stored && stored[2] === 0) {
          removeText(stored[0]);
          textWritten = true;
        }
        if (stored) tombstone.run(op.version, change, stored[0]);
        else insert.run(++seq, op.id, op.version, 1, null, change, ...noValues, null);
        continue;
      }
      const values = op.values.map(toColumnValue);
      const json = JSON.stringify(op.doc);
      const hash = textHash(op.text);
      if (!stored) {
        const lengthsOf = indexText(++seq, op.text);
        insert.run(seq, op.id, op.version, 0, hash, change, ...values, ...lengthsOf, json);
        textWritten = true;
        continue;
      }
      const [storedSeq, , deleted, storedHash, ...storedLengths] = stored;
      // Most events (a price, a stock level) leave the text alone: skip re-tokenizing it.
      let lengthsOf = storedLengths;
      if (deleted !== 0 || storedHash !== hash) {
        if (deleted === 0) removeText(storedSeq);
        lengthsOf = indexText(storedSeq, op.text);
        textWritten = true;
      }
      update.run(op.version, hash, change, ...values, ...lengthsOf, json, storedSeq);
    }
    if (textWritten) textChanged.run(target);
    return { applied, ignored };
  });

  return { apply: (ops) => applyAll(ops) };
}

/** SQLite has no boolean: 1 and 0, which also makes term filters on booleans plain equality. */
export function toColumnValue(value: FieldValue): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function textHash(text: readonly string[]): string {
  return createHash('sha1').update(text.join('\u0000')).digest('base64');
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
