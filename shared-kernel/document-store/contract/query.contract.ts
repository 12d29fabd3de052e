import { expect } from 'chai';
import type { Doc, DocumentStore, IndexField, Page, Query, Scalar } from '../port';
import { findAll } from '../find-all';
import { id, product, products, type OpenStore } from './contract.fixtures';

const COUNT = 300;

/** Every tenth-or-so product has no price at all, so nulls take part in filters and sorts. */
function catalogue(): Array<{ id: string; doc: Doc }> {
  return Array.from({ length: COUNT }, (_, i) => {
    const doc = product(i);
    if (i % 11 === 0) delete doc.price;
    return { id: id(i), doc };
  });
}

function valueAt(doc: Doc, path: string, key: string): Scalar {
  if (path === 'id') return key;
  let value: unknown = doc;
  for (const part of path.split('.'))
    value = (value as Record<string, unknown> | undefined)?.[part];
  return (value ?? null) as Scalar;
}

/** The order the port promises: nulls first ascending (last descending), then the id. */
function referenceOrder(rows: Array<{ id: string; doc: Doc }>, sort: IndexField[]): string[] {
  const keys = [
    ...sort,
    { field: 'id', direction: sort[sort.length - 1]?.direction ?? 'asc' } as IndexField,
  ];
  const compare = (a: Scalar, b: Scalar) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
  return [...rows]
    .sort((x, y) => {
      for (const k of keys) {
        const c = compare(valueAt(x.doc, k.field, x.id), valueAt(y.doc, k.field, y.id));
        if (c !== 0) return k.direction === 'asc' ? c : -c;
      }
      return 0;
    })
    .map((r) => r.id);
}

/** Queries on declared fields: every operator, sorts, keyset pages, and what is refused. */
export function describeDocumentQueryContract(open: OpenStore): void {
  let store: DocumentStore;
  let dispose: () => Promise<void>;
  const rows = catalogue();
  const idsOf = (docs: Doc[]) => docs.map((d) => id(Number(String(d.productId).slice(1))));
  const matching = (test: (doc: Doc, key: string) => boolean) =>
    rows.filter((r) => test(r.doc, r.id)).map((r) => r.id);
  const idsWhere = async (where: Query['where']) =>
    idsOf((await store.find('products', { where, limit: 1000 })).items);

  before(async () => {
    ({ store, dispose } = await open());
    await store.ensureCollection(products);
    await store.commitBatch({ writes: rows.map((r) => ({ collection: 'products', ...r })) });
  });
  after(async () => dispose());

  it('filters by equality on strings, nested numbers, booleans, null (missing) and the id', async () => {
    const amount = (d: Doc) => valueAt(d, 'price.amount', '');
    expect(await idsWhere({ category: 'books' })).to.have.members(
      matching((d) => d.category === 'books'),
    );
    expect(await idsWhere({ 'price.amount': { eq: 300 } })).to.have.members(
      matching((d) => amount(d) === 300),
    );
    expect(await idsWhere({ active: false })).to.have.members(matching((d) => d.active === false));
    const unpriced = matching((d) => amount(d) === null);
    expect(unpriced).to.have.length.greaterThan(0);
    expect(await idsWhere({ 'price.amount': null })).to.have.members(unpriced);
    expect(await idsWhere({ id: id(42) })).to.deep.equal([id(42)]);
  });

  it('filters by ranges, in-lists and their combination, and counts the same documents', async () => {
    const amount = (d: Doc) => valueAt(d, 'price.amount', '') as number | null;
    const cases: Array<[Query['where'], (d: Doc, key: string) => boolean]> = [
      [{ 'price.amount': { gt: 300 } }, (d) => (amount(d) ?? -1) > 300],
      [
        { 'price.amount': { gte: 300, lte: 500 } },
        (d) => (amount(d) ?? -1) >= 300 && (amount(d) ?? -1) <= 500,
      ],
      [
        { 'stock.available': { lt: 2 } },
        (d) =>
          valueAt(d, 'stock.available', '') !== null &&
          (valueAt(d, 'stock.available', '') as number) < 2,
      ],
      [
        { name: { gte: 'Product 0100', lt: 'Product 0150' } },
        (d) => (d.name as string) >= 'Product 0100' && (d.name as string) < 'Product 0150',
      ],
      [
        { category: { in: ['games', 'toys'] } },
        (d) => d.category === 'games' || d.category === 'toys',
      ],
      [{ id: { in: [id(1), id(2), 'nope'] } }, (_, key) => key === id(1) || key === id(2)],
      [
        { category: { in: ['music', 'tools'] }, 'price.amount': { lt: 400 }, active: true },
        (d) =>
          (d.category === 'music' || d.category === 'tools') &&
          amount(d) !== null &&
          (amount(d) as number) < 400 &&
          d.active === true,
      ],
    ];
    for (const [where, test] of cases) {
      const expected = matching(test);
      expect(expected, JSON.stringify(where)).to.have.length.greaterThan(0);
      expect(await idsWhere(where), JSON.stringify(where)).to.have.members(expected);
      expect(await store.count('products', where), JSON.stringify(where)).to.equal(expected.length);
    }
    expect(await store.count('products')).to.equal(COUNT);
  });

  async function pageThrough(query: Omit<Query, 'cursor'>): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await store.find('products', { ...query, cursor });
      expect(page.items.length).to.be.at.most(query.limit);
      seen.push(...idsOf(page.items));
      cursor = page.nextCursor;
      // A cursor that stops advancing would page forever; fail instead.
      expect(seen.length, 'pages keep coming').to.be.at.most(COUNT);
    } while (cursor !== null);
    return seen;
  }

  it('pages through ties in multi-field sorts with no document skipped or repeated', async () => {
    const sorts: IndexField[][] = [
      [
        { field: 'category', direction: 'asc' },
        { field: 'price.amount', direction: 'desc' },
      ],
      [{ field: 'price.amount', direction: 'asc' }],
      [
        { field: 'stock.available', direction: 'desc' },
        { field: 'active', direction: 'asc' },
      ],
      [{ field: 'name', direction: 'desc' }],
      [],
    ];
    for (const sort of sorts) {
      const seen = await pageThrough({ sort, limit: 17 });
      expect(new Set(seen).size, JSON.stringify(sort)).to.equal(COUNT);
      expect(seen, JSON.stringify(sort)).to.deep.equal(referenceOrder(rows, sort));
    }
  });

  it('pages through a filtered query in sort order', async () => {
    const sort: IndexField[] = [{ field: 'stock.available', direction: 'asc' }];
    const seen = await pageThrough({
      where: { active: true, category: { in: ['books', 'music'] } },
      sort,
      limit: 9,
    });
    const expected = rows.filter(
      (r) => r.doc.active === true && ['books', 'music'].includes(r.doc.category as string),
    );
    expect(seen).to.deep.equal(referenceOrder(expected, sort));
  });

  it('findAll reads every match, page by page, in sort order', async () => {
    const sort: IndexField[] = [{ field: 'name', direction: 'desc' }];
    const all = await findAll(store, 'products', { where: { active: true }, sort, limit: 7 });
    const active = rows.filter((r) => r.doc.active === true);
    expect(active.length).to.be.greaterThan(7 * 3);
    expect(idsOf(all)).to.deep.equal(referenceOrder(active, sort));
  });
}
