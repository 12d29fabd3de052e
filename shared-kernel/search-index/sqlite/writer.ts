import type { Database, Statement } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { FieldValue, PreparedOperation } from '../operations';
import type { BulkResult, IndexDeclaration } from '../port';
import { docsTable, fieldColumn, quoteIdentifier, textTable } from './schema';

interface StoredRow {
  seq: number;
  version: string;
  deleted: number;
  text_hash: string | null;
}

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
  const columns = declaration.fields.map((field) => fieldColumn(field.name));
  const marks = columns.map(() => ', ?').join('');
  const assignments = columns.map((column) => `, ${column} = ?`).join('');
  const nulls = columns.map((column) => `, ${column} = NULL`).join('');

  const find: Statement<[string], StoredRow> = db.prepare(
    `SELECT seq, version, deleted, text_hash FROM ${docs} WHERE id = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO ${docs} (id, version, deleted, text_hash, changed${columns.map((c) => `, ${c}`).join('')}, doc) ` +
      `VALUES (?, ?, ?, ?, ?${marks}, ?)`,
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
  }));
  const indexText = (seq: number | bigint, text: readonly string[]) =>
    texts.forEach((table, i) => table.insert.run(seq, text[i] ?? ''));
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
    for (const op of ops) {
      const stored = find.get(op.id);
      if (stored && stored.version >= op.version) {
        ignored++;
        continue;
      }
      applied++;
      if (op.op === 'delete') {
        if (stored && stored.deleted === 0) {
          removeText(stored.seq);
          textWritten = true;
        }
        if (stored) tombstone.run(op.version, change, stored.seq);
        else insert.run(op.id, op.version, 1, null, change, ...noValues, null);
        continue;
      }
      const values = op.values.map(toColumnValue);
      const json = JSON.stringify(op.doc);
      const hash = textHash(op.text);
      if (!stored) {
        const seq = insert.run(op.id, op.version, 0, hash, change, ...values, json).lastInsertRowid;
        indexText(seq, op.text);
        textWritten = true;
        continue;
      }
      update.run(op.version, hash, change, ...values, json, stored.seq);
      // Most events (a price, a stock level) leave the text alone: skip re-tokenizing it.
      if (stored.deleted === 0 && stored.text_hash === hash) continue;
      if (stored.deleted === 0) removeText(stored.seq);
      indexText(stored.seq, op.text);
      textWritten = true;
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
