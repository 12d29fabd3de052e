import type { Collection } from 'mongodb';
import { encodeCursor } from '../cursor';
import type { Doc, Page } from '../port';
import type { PlannedQuery } from '../query';
import {
  afterFilter,
  and,
  fromStored,
  sortSpec,
  sortValues,
  whereFilter,
  type Stored,
} from './translate';

/** `$in` lists are bounded so a rebuild's large batches never build one huge command. */
const GET_MANY_CHUNK = 1000;

export async function loadMany<T extends Doc>(
  collection: Collection<Stored>,
  ids: readonly string[],
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  for (let start = 0; start < ids.length; start += GET_MANY_CHUNK) {
    const chunk = ids.slice(start, start + GET_MANY_CHUNK);
    for await (const stored of collection.find({ _id: { $in: chunk } })) {
      found.set(stored._id, fromStored<T>(stored));
    }
  }
  return found;
}

/** One page, fetching one document more than asked to know whether another page follows. */
export async function findPage<T extends Doc>(
  collection: Collection<Stored>,
  plan: PlannedQuery,
): Promise<Page<T>> {
  const filter = and([
    whereFilter(plan.conditions),
    ...(plan.after ? [afterFilter(plan.sort, plan.after)] : []),
  ]);
  const rows = await collection
    .find(filter)
    .sort(sortSpec(plan.sort))
    .limit(plan.limit + 1)
    .toArray();
  const page = rows.slice(0, plan.limit);
  const last = page[page.length - 1];
  const more = rows.length > plan.limit && last !== undefined;
  return {
    items: page.map((stored) => fromStored<T>(stored)),
    nextCursor: more ? encodeCursor(plan.sort, sortValues(last, plan.sort)) : null,
  };
}
