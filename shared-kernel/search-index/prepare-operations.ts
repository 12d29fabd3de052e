import { ValidationError, type FieldError } from '../errors';
import type { IndexDeclaration, IndexOperation, SearchDocument, TypedField } from './port';
import { versionToBigInt } from './version';

/** A typed field's value as both adapters store it: dates become epoch milliseconds. */
export type FieldValue = string | number | boolean | null;

interface PreparedBase {
  id: string;
  /** 16 hex digits (see version.ts). */
  version: string;
  /** The same version in decimal, for Elasticsearch's external versioning. */
  versionDecimal: string;
}
export interface PreparedUpsert extends PreparedBase {
  op: 'upsert';
  doc: SearchDocument;
  /** One entry per declared text field, in declaration order; '' when absent. */
  text: string[];
  /** One entry per declared typed field, in declaration order. */
  values: FieldValue[];
}
export interface PreparedDelete extends PreparedBase {
  op: 'delete';
}
export type PreparedOperation = PreparedUpsert | PreparedDelete;

const MAX_ID_LENGTH = 255;

/**
 * Checks every operation before anything is written, so a bad one rejects the whole batch with
 * each problem named (`ops[3].doc.price: ...`) instead of leaving half a batch applied.
 */
export function prepareOperations(
  declaration: IndexDeclaration,
  ops: readonly IndexOperation[],
): PreparedOperation[] {
  const errors: FieldError[] = [];
  const prepared: PreparedOperation[] = [];
  ops.forEach((op, i) => {
    const at = `ops[${i}]`;
    const problemsBefore = errors.length;
    if (typeof op.id !== 'string' || op.id.length === 0 || op.id.length > MAX_ID_LENGTH) {
      errors.push({ field: `${at}.id`, message: `must be a string of 1 to ${MAX_ID_LENGTH}` });
    }
    let version = '';
    let versionDecimal = '';
    try {
      const value = versionToBigInt(op.version, `${at}.version`);
      version = value.toString(16).padStart(16, '0');
      versionDecimal = value.toString(10);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(...error.errors);
    }
    if (op.op === 'delete') {
      if (errors.length === problemsBefore) prepared.push({ ...op, version, versionDecimal });
      return;
    }
    if (op.op !== 'upsert') {
      errors.push({ field: `${at}.op`, message: 'must be upsert or delete' });
      return;
    }
    if (op.doc === null || typeof op.doc !== 'object' || Array.isArray(op.doc)) {
      errors.push({ field: `${at}.doc`, message: 'must be an object' });
      return;
    }
    const text = declaration.text.map((field) => {
      const value = op.doc[field.name];
      if (value === undefined || value === null) return '';
      if (typeof value === 'string') return value;
      errors.push({ field: `${at}.doc.${field.name}`, message: 'must be a string' });
      return '';
    });
    const values = declaration.fields.map((field) => {
      const result = fieldValue(field, op.doc[field.name]);
      if (typeof result === 'object' && result !== null) {
        errors.push({ field: `${at}.doc.${field.name}`, message: result.problem });
        return null;
      }
      return result;
    });
    if (errors.length === problemsBefore) {
      prepared.push({
        op: 'upsert',
        id: op.id,
        version,
        versionDecimal,
        doc: op.doc,
        text,
        values,
      });
    }
  });
  if (errors.length > 0) throw new ValidationError(errors);
  return prepared;
}

function fieldValue(field: TypedField, raw: unknown): FieldValue | { problem: string } {
  if (raw === undefined || raw === null) {
    return field.sortable ? { problem: 'is required (the field is sortable)' } : null;
  }
  switch (field.type) {
    case 'keyword':
      return typeof raw === 'string' ? raw : { problem: 'must be a string' };
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw)
        ? raw
        : { problem: 'must be a finite number' };
    case 'boolean':
      return typeof raw === 'boolean' ? raw : { problem: 'must be a boolean' };
    case 'date': {
      const ms = dateToMillis(raw);
      return ms === null ? { problem: 'must be an ISO 8601 date or epoch milliseconds' } : ms;
    }
    default: {
      const unknownType: never = field.type;
      return { problem: `has an unknown type ${String(unknownType)}` };
    }
  }
}

export function dateToMillis(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : null;
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(raw)) return null;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : ms;
}
