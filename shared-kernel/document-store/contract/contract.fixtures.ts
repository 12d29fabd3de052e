import { expect } from 'chai';
import type { CollectionDeclaration, Doc, DocumentStore } from '../port';

/** What a contract run needs from an adapter: a fresh, empty store and a way to dispose of it. */
export interface OpenedStore {
  store: DocumentStore;
  dispose(): Promise<void>;
}
export type OpenStore = () => Promise<OpenedStore>;

export const products: CollectionDeclaration = {
  name: 'products',
  indexes: [
    {
      name: 'byCategoryPrice',
      fields: [
        { field: 'category', direction: 'asc' },
        { field: 'price.amount', direction: 'desc' },
      ],
    },
    { name: 'byName', fields: [{ field: 'name', direction: 'asc' }] },
    { name: 'byStock', fields: [{ field: 'stock.available', direction: 'asc' }] },
    { name: 'byActive', fields: [{ field: 'active', direction: 'asc' }] },
  ],
};

export const orders: CollectionDeclaration = {
  name: 'customer_orders',
  indexes: [{ name: 'byCustomer', fields: [{ field: 'customerId', direction: 'asc' }] }],
};

export function product(i: number, overrides: Doc = {}): Doc {
  return {
    productId: `p${i}`,
    name: `Product ${String(i).padStart(4, '0')}`,
    category: ['books', 'games', 'music', 'tools', 'toys'][i % 5] as string,
    price: { amount: 100 * (i % 10), currency: 'EUR' },
    stock: { available: i % 7 },
    active: i % 3 !== 0,
    ...overrides,
  };
}

export const id = (i: number) => `p${String(i).padStart(4, '0')}`;

export async function rejectsWith<E extends Error>(
  work: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await work;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(type);
    return error as E;
  }
  expect.fail(`expected a ${type.name}, but it succeeded`);
}

/** A document whose `price` throws when read: serialising it fails in the middle of a batch. */
export function unserializable(i: number): Doc {
  const doc = product(i);
  Object.defineProperty(doc, 'price', {
    enumerable: true,
    get() {
      throw new Error('this document cannot be serialised');
    },
  });
  return doc;
}

/** Positions as the event stores write them: fixed-width lowercase hex. */
export const pos = (n: number) => n.toString(16).padStart(16, '0');
