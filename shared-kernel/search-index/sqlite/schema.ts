import type { Database } from 'better-sqlite3';
import type { FieldType, IndexDeclaration } from '../port';

/**
 * Table layout of one target: `<target>__docs` holds every document (and every tombstone) with
 * its version, one column per typed field, the length in words of each text field and its JSON;
 * each text field has a contentless FTS5 table `<target>__text_<field>` whose rowid is the
 * document's `seq`, so a field's words and length are its own (see relevance.ts) and a
 * document's text is replaced or removed by rowid.
 * Searches filter, count facets and sort in memory (columns.ts), so the typed columns carry no
 * index: `changed` (the write that last touched a row) is the only one, and lets a reader load
 * just the rows written since it last looked.
 */
export const META_DDL = `
  CREATE TABLE IF NOT EXISTS search_targets (
    target TEXT PRIMARY KEY,
    index_name TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    declaration TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS search_target_changes (
    target TEXT PRIMARY KEY,
    epoch TEXT NOT NULL,
    changed INTEGER NOT NULL,
    text_changed INTEGER NOT NULL
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

/** Bumped whenever the tables of a target change shape: older targets must be rebuilt. */
const LAYOUT = 2;

/** What `search_targets.declaration` holds: the declaration a target was built for, and how. */
export function storedDeclaration(declaration: IndexDeclaration): string {
  return JSON.stringify({ layout: LAYOUT, declaration });
}

export function docsTable(target: string): string {
  return quoteIdentifier(`${target}__docs`);
}

/** The FTS5 table of one text field; `shadow` names one of its own tables (`data`, ...). */
export function textTable(target: string, field: string, shadow?: string): string {
  return quoteIdentifier(`${target}__text_${field}${shadow ? `_${shadow}` : ''}`);
}

/** Typed fields live in `f_<name>` columns so they can never collide with the fixed ones. */
export function fieldColumn(name: string): string {
  return quoteIdentifier(`f_${name}`);
}

/** The length in words of a text field, as its FTS5 table counted them. */
export function lengthColumn(name: string): string {
  return quoteIdentifier(`t_${name}`);
}

export function targetDdl(target: string, declaration: IndexDeclaration): string {
  const docs = docsTable(target);
  const fieldColumns = declaration.fields.map(
    (field) => `${fieldColumn(field.name)} ${COLUMN_TYPE[field.type]}`,
  );
  const lengthColumns = declaration.text.map((field) => `${lengthColumn(field.name)} INTEGER`);
  const textTables = declaration.text.map(
    (field) => `CREATE VIRTUAL TABLE ${textTable(target, field.name)} USING fts5(
      ${quoteIdentifier(field.name)},
      content = '', contentless_delete = 1, tokenize = '${TOKENIZER}'
    );`,
  );
  // The JSON goes last: loading the typed columns of a row then stops before it.
  return `
    CREATE TABLE ${docs} (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      version TEXT NOT NULL,
      deleted INTEGER NOT NULL,
      text_hash TEXT,
      changed INTEGER NOT NULL${[...fieldColumns, ...lengthColumns].map((column) => `,\n      ${column}`).join('')},
      doc TEXT
    );
    CREATE INDEX ${quoteIdentifier(`${target}__changed`)} ON ${docs} (changed);
    ${textTables.join('\n    ')}
  `;
}

/** Every table of a target, whatever layout it was built with (FTS5 drops its own tables). */
export function dropTargetDdl(db: Database, target: string): string {
  const virtual = db
    .prepare<[string], { name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ? AND sql LIKE 'CREATE VIRTUAL TABLE%'`,
    )
    .all(`${target}__*`)
    .map((row) => `DROP TABLE IF EXISTS ${quoteIdentifier(row.name)};`);
  return `${virtual.join(' ')} DROP TABLE IF EXISTS ${docsTable(target)};`;
}
