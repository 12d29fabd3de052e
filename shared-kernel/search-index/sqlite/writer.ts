import type { Database, Statement } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { FieldValue, PreparedOperation } from '../prepare-operations';
import type { BulkResult, IndexDeclaration } from '../port';
import { docsTable, fieldColumn, ftsTable, quoteIdentifier } from './schema';

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
  const fts = ftsTable(target);
  const columns = declaration.fields.map((field) => fieldColumn(field.name));
  const marks = columns.map(() => ', ?').join('');
  const assignments = columns.map((column) => `, ${column} = ?`).join('');
  const nulls = columns.map((column) => `, ${column} = NULL`).join('');
  const textColumns = declaration.text.map((field) => quoteIdentifier(field.name)).join(', ');
  const textMarks = declaration.text.map(() => ', ?').join('');

  const find: Statement<[string], StoredRow> = db.prepare(
    `SELECT seq, version, deleted, text_hash FROM ${docs} WHERE id = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO ${docs} (id, version, deleted, text_hash, doc${columns.map((c) => `, ${c}`).join('')}) ` +
      `VALUES (?, ?, ?, ?, ?${marks})`,
  );
  const update = db.prepare(
    `UPDATE ${docs} SET version = ?, deleted = 0, text_hash = ?, doc = ?${assignments} WHERE seq = ?`,
  );
  const tombstone = db.prepare(
    `UPDATE ${docs} SET version = ?, deleted = 1, text_hash = NULL, doc = NULL${nulls} WHERE seq = ?`,
  );
  const ftsInsert = db.prepare(`INSERT INTO ${fts} (rowid, ${textColumns}) VALUES (?${textMarks})`);
  const ftsDelete = db.prepare(`DELETE FROM ${fts} WHERE rowid = ?`);
  const noValues = columns.map(() => null);

  const applyAll = db.transaction((ops: readonly PreparedOperation[]): BulkResult => {
    let applied = 0;
    let ignored = 0;
    for (const op of ops) {
      const stored = find.get(op.id);
      if (stored && stored.version >= op.version) {
        ignored++;
        continue;
      }
      applied++;
      if (op.op === 'delete') {
        if (stored && stored.deleted === 0) ftsDelete.run(stored.seq);
        if (stored) tombstone.run(op.version, stored.seq);
        else insert.run(op.id, op.version, 1, null, null, ...noValues);
        continue;
      }
      const values = op.values.map(toColumnValue);
      const json = JSON.stringify(op.doc);
      const hash = textHash(op.text);
      if (!stored) {
        const seq = insert.run(op.id, op.version, 0, hash, json, ...values).lastInsertRowid;
        ftsInsert.run(seq, ...op.text);
        continue;
      }
      update.run(op.version, hash, json, ...values, stored.seq);
      // Most events (a price, a stock level) leave the text alone: skip re-tokenizing it.
      if (stored.deleted === 0 && stored.text_hash === hash) continue;
      if (stored.deleted === 0) ftsDelete.run(stored.seq);
      ftsInsert.run(stored.seq, ...op.text);
    }
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
