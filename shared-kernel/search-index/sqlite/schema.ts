import type { FieldType, IndexDeclaration } from '../port';

/**
 * Table layout of one target: `<target>__docs` holds every document (and every tombstone) with
 * its version, its JSON and one indexed column per typed field; `<target>__fts` is a contentless
 * FTS5 table over the text fields whose rowid is the document's `seq`, so a document's text is
 * replaced or removed by rowid without scanning anything.
 */
export const META_DDL = `
  CREATE TABLE IF NOT EXISTS search_targets (
    target TEXT PRIMARY KEY,
    index_name TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    declaration TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS search_aliases (
    index_name TEXT PRIMARY KEY,
    live TEXT,
    previous TEXT
  );
`;

/** Porter on top of unicode61: "shirts" finds "shirt", "Café" finds "cafe". */
export const TOKENIZER = 'porter unicode61 remove_diacritics 2';

const COLUMN_TYPE: Record<FieldType, string> = {
  keyword: 'TEXT',
  number: 'REAL',
  boolean: 'INTEGER',
  date: 'INTEGER',
};

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function docsTable(target: string): string {
  return quoteIdentifier(`${target}__docs`);
}

export function ftsTable(target: string): string {
  return quoteIdentifier(`${target}__fts`);
}

/** Typed fields live in `f_<name>` columns so they can never collide with the fixed ones. */
export function fieldColumn(name: string): string {
  return quoteIdentifier(`f_${name}`);
}

export function targetDdl(target: string, declaration: IndexDeclaration): string {
  const docs = docsTable(target);
  const fieldColumns = declaration.fields.map(
    (field) => `${fieldColumn(field.name)} ${COLUMN_TYPE[field.type]}`,
  );
  // Partial indexes: tombstones hold no field values and never match a search. A boolean
  // splits the documents in two halves, too coarse to be worth an index of its own.
  const fieldIndexes = declaration.fields
    .filter((field) => field.type !== 'boolean')
    .map(
      (field) =>
        `CREATE INDEX ${quoteIdentifier(`${target}__by_${field.name}`)} ON ${docs} ` +
        `(${fieldColumn(field.name)}, id) WHERE deleted = 0;`,
    );
  // Covers every typed field, so facets and counts over filters never touch the wide rows
  // that carry the JSON (on 100,000 documents: 9 ms instead of 58 ms for a full facet pass).
  if (declaration.fields.length > 0) {
    const all = declaration.fields.map((field) => fieldColumn(field.name)).join(', ');
    fieldIndexes.push(
      `CREATE INDEX ${quoteIdentifier(`${target}__facets`)} ON ${docs} (deleted, ${all});`,
    );
  }
  const textColumns = declaration.text.map((field) => quoteIdentifier(field.name));
  return `
    CREATE TABLE ${docs} (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      version TEXT NOT NULL,
      deleted INTEGER NOT NULL,
      text_hash TEXT,
      doc TEXT${fieldColumns.map((column) => `,\n      ${column}`).join('')}
    );
    ${fieldIndexes.join('\n    ')}
    CREATE VIRTUAL TABLE ${ftsTable(target)} USING fts5(
      ${textColumns.join(', ')},
      content = '', contentless_delete = 1, tokenize = '${TOKENIZER}'
    );
  `;
}

export function dropTargetDdl(target: string): string {
  return `DROP TABLE IF EXISTS ${ftsTable(target)}; DROP TABLE IF EXISTS ${docsTable(target)};`;
}
