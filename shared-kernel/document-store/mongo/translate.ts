import type { Document, Filter, IndexDirection } from 'mongodb';
import { physicalIndexName } from '../declaration';
import { KEY_FIELD } from '../names';
import type { CollectionDeclaration, Doc, IndexField, Scalar } from '../port';
import type { PlannedCondition } from '../query';

/**
 * Pure translation of a checked query plan into MongoDB filters and sorts. Every value placed in
 * a filter comes from the plan, which only holds validated scalars, and every operator is one
 * written here: a caller's object can never become an operator.
 */
export interface Stored extends Document {
  _id: string;
}

export function mongoField(field: string): string {
  return field === KEY_FIELD ? '_id' : field;
}

const RANGE = { gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' } as const;

/** Matches nothing: what comes "after null" in a descending sort, where nulls are last. */
const NOTHING: Filter<Stored> = { _id: { $in: [] } };

function conditionFilter(c: PlannedCondition): Filter<Stored> {
  const field = mongoField(c.field);
  if (c.op === 'eq') return { [field]: { $eq: c.value } };
  if (c.op === 'in') return { [field]: { $in: [...c.values] } };
  return { [field]: { [RANGE[c.op]]: c.value } };
}

export function and(parts: Array<Filter<Stored>>): Filter<Stored> {
  if (parts.length === 0) return {};
  return parts.length === 1 ? (parts[0] as Filter<Stored>) : { $and: parts };
}

export function whereFilter(conditions: readonly PlannedCondition[]): Filter<Stored> {
  return and(conditions.map(conditionFilter));
}

/**
 * Documents strictly after the cursor. MongoDB sorts null and missing first ascending and last
 * descending, and `$eq: null` matches both, the same rules the SQLite adapter spells out.
 */
export function afterFilter(sort: readonly IndexField[], after: readonly Scalar[]): Filter<Stored> {
  const build = (i: number): Filter<Stored> => {
    const key = sort[i] as IndexField;
    const field = mongoField(key.field);
    const value = after[i] ?? null;
    let beyond: Filter<Stored>;
    if (key.direction === 'asc') {
      beyond = value === null ? { [field]: { $ne: null } } : { [field]: { $gt: value } };
    } else if (value === null) {
      beyond = NOTHING;
    } else if (key.field === KEY_FIELD) {
      // The key is never null, so past it there is no null branch to add.
      beyond = { [field]: { $lt: value } };
    } else {
      beyond = { $or: [{ [field]: { $lt: value } }, { [field]: { $eq: null } }] };
    }
    if (i === sort.length - 1) return beyond;
    return { $or: [beyond, { $and: [{ [field]: { $eq: value } }, build(i + 1)] }] };
  };
  return build(0);
}

export function sortSpec(sort: readonly IndexField[]): Array<[string, 1 | -1]> {
  return sort.map((k) => [mongoField(k.field), k.direction === 'asc' ? 1 : -1]);
}

/** Like the SQLite indexes, each ends with the key in the direction of its last field. */
export function indexSpecs(
  target: string,
  declaration: CollectionDeclaration,
): Array<{ name: string; key: Record<string, IndexDirection> }> {
  return declaration.indexes.map((index) => {
    const last = index.fields[index.fields.length - 1]?.direction ?? 'asc';
    const key: Record<string, IndexDirection> = {};
    for (const f of [...index.fields, { field: KEY_FIELD, direction: last }]) {
      key[mongoField(f.field)] = f.direction === 'asc' ? 1 : -1;
    }
    return { name: physicalIndexName(target, index), key };
  });
}

export function toStored(id: string, doc: Doc): Stored {
  return { ...doc, _id: id };
}

export function fromStored<T extends Doc>(stored: Stored): T {
  const { _id: _key, ...doc } = stored;
  return doc as T;
}

/** The sort values of a stored document, for the cursor of the page it ends. */
export function sortValues(stored: Stored, sort: readonly IndexField[]): Scalar[] {
  return sort.map((k) => {
    let value: unknown = stored;
    for (const part of mongoField(k.field).split('.')) {
      value =
        value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    return (value ?? null) as Scalar;
  });
}
