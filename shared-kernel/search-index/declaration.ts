import { ConfigError } from '../errors';
import type { IndexDeclaration, TypedField } from './port';

/**
 * Index and field names end up as SQL identifiers and Elasticsearch index and field names, so
 * they are restricted to a portable alphabet here, once, rather than escaped in every adapter.
 */
const INDEX_NAME = /^[a-z][a-z0-9_]{0,47}$/;
const FIELD_NAME = /^[a-zA-Z][a-zA-Z0-9]{0,62}$/;
/** Names the adapters use for their own columns and properties. */
const RESERVED = new Set(['id', 'doc', 'deleted', 'version', 'rowid', 'rank']);
const TARGET_SUFFIX = /^(.+)__v(\d{4,})$/;

export function validateDeclaration(declaration: IndexDeclaration): IndexDeclaration {
  const problems: string[] = [];
  if (!INDEX_NAME.test(declaration.name) || declaration.name.includes('__')) {
    problems.push(
      `name ${JSON.stringify(declaration.name)} must match ${INDEX_NAME.source} without "__"`,
    );
  }
  if (declaration.text.length === 0) problems.push('at least one text field is required');
  const seen = new Set<string>();
  for (const field of [...declaration.text, ...declaration.fields]) {
    if (!FIELD_NAME.test(field.name) || RESERVED.has(field.name)) {
      problems.push(`field name ${JSON.stringify(field.name)} is not allowed`);
    }
    if (seen.has(field.name)) problems.push(`field ${field.name} is declared twice`);
    seen.add(field.name);
  }
  for (const text of declaration.text) {
    if (!(Number.isFinite(text.boost) && text.boost > 0)) {
      problems.push(`text field ${text.name}: boost must be a positive number`);
    }
  }
  for (const field of declaration.fields) {
    if (field.sortable && field.type === 'boolean') {
      problems.push(`field ${field.name}: a boolean field cannot be sortable`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`search index declaration ${declaration.name}: ${problems.join('; ')}`);
  }
  return declaration;
}

/** Declarations by index name; a duplicate name is a configuration error. */
export function declarationsByName(
  declarations: readonly IndexDeclaration[],
): Map<string, IndexDeclaration> {
  const byName = new Map<string, IndexDeclaration>();
  for (const declaration of declarations) {
    validateDeclaration(declaration);
    if (byName.has(declaration.name)) {
      throw new ConfigError(`search index ${declaration.name} is declared twice`);
    }
    byName.set(declaration.name, declaration);
  }
  return byName;
}

export function typedField(declaration: IndexDeclaration, name: string): TypedField | undefined {
  return declaration.fields.find((field) => field.name === name);
}

/** Targets are `<index>__v<sequence>`: the sequence orders rebuilds and keeps names unique. */
export function targetName(indexName: string, sequence: number): string {
  return `${indexName}__v${String(sequence).padStart(4, '0')}`;
}

export function parseTargetName(target: string): { indexName: string; sequence: number } | null {
  const match = TARGET_SUFFIX.exec(target);
  if (!match || !INDEX_NAME.test(match[1] ?? '')) return null;
  return { indexName: match[1] as string, sequence: Number(match[2]) };
}
