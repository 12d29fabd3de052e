import { createHash } from 'node:crypto';
import { ValidationError, type FieldError } from '../errors';
import { KEY_FIELD, checkCollectionName, checkFieldPath, checkIndexName } from './names';
import type { CollectionDeclaration, IndexDeclaration } from './port';

const MAX_INDEXES = 32;
const MAX_INDEX_FIELDS = 8;

/** Checks a read model's declaration as a whole, reporting every problem at once. */
export function checkDeclaration(input: unknown): CollectionDeclaration {
  const errors: FieldError[] = [];
  const collect = (run: () => void) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(...error.errors);
    }
  };
  const decl = (input ?? {}) as Partial<CollectionDeclaration>;
  collect(() => checkCollectionName(decl.name, 'name'));
  const indexes = Array.isArray(decl.indexes) ? decl.indexes : [];
  if (!Array.isArray(decl.indexes) || indexes.length > MAX_INDEXES) {
    errors.push({
      field: 'indexes',
      message: `must be an array of at most ${MAX_INDEXES} indexes`,
    });
  }
  const seen = new Set<string>();
  indexes.forEach((index: Partial<IndexDeclaration>, i) => {
    const at = `indexes[${i}]`;
    collect(() => checkIndexName(index?.name, `${at}.name`));
    if (typeof index?.name === 'string' && seen.has(index.name)) {
      errors.push({ field: `${at}.name`, message: `duplicate index name "${index.name}"` });
    }
    seen.add(String(index?.name));
    const fields = Array.isArray(index?.fields) ? index.fields : [];
    if (fields.length === 0 || fields.length > MAX_INDEX_FIELDS) {
      errors.push({ field: `${at}.fields`, message: `must list 1 to ${MAX_INDEX_FIELDS} fields` });
    }
    fields.forEach((f, j) => {
      collect(() => checkFieldPath(f?.field, `${at}.fields[${j}].field`));
      if (f?.field === KEY_FIELD) {
        errors.push({
          field: `${at}.fields[${j}].field`,
          message: `"${KEY_FIELD}" is the document key, always indexed`,
        });
      }
      if (f?.direction !== 'asc' && f?.direction !== 'desc') {
        errors.push({ field: `${at}.fields[${j}].direction`, message: 'must be "asc" or "desc"' });
      }
    });
  });
  if (errors.length > 0) throw new ValidationError(errors);
  return {
    name: decl.name as string,
    indexes: indexes.map((index) => ({
      name: index.name as string,
      fields: (index.fields ?? []).map((f) => ({ field: f.field, direction: f.direction })),
    })),
  };
}

/** Fields a query may filter or sort on: those of the declared indexes, plus the key. */
export function queryableFields(declaration: CollectionDeclaration): Set<string> {
  const fields = new Set([KEY_FIELD]);
  for (const index of declaration.indexes) for (const f of index.fields) fields.add(f.field);
  return fields;
}

/**
 * Physical index names carry a digest of their definition, so a changed declaration yields a new
 * index (built next to the old) instead of silently keeping a stale one under the same name.
 */
export function physicalIndexName(target: string, index: IndexDeclaration): string {
  const definition = index.fields.map((f) => `${f.field}:${f.direction}`).join(',');
  const digest = createHash('sha256').update(definition).digest('hex').slice(0, 8);
  return `ix_${target}_${index.name}_${digest}`;
}
