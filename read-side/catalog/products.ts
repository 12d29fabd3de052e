import type { ListPage } from '../list-page';
import type { Condition, DocumentStore } from '../../shared-kernel/document-store/port';
import type { ProductDoc } from '../../projections/read-models/products';

export const PRODUCTS = 'products';

/** A product as the query API answers it: the read model without its bookkeeping. */
export type ProductView = Omit<ProductDoc, 'stockVersion' | 'popularityPosition'> & {
  productId: string;
  name: string;
};

export function productView(doc: ProductDoc): ProductView | null {
  // A document that has only seen stock (or order) events is not a product yet.
  if (doc.productId === null || doc.name === null) return null;
  const { stockVersion: _stock, popularityPosition: _popularity, ...view } = doc;
  return view as ProductView;
}

export async function productById(
  documents: DocumentStore,
  productId: string,
): Promise<ProductView | null> {
  const page = await documents.find<ProductDoc>(PRODUCTS, { where: { productId }, limit: 1 });
  const doc = page.items[0];
  return doc ? productView(doc) : null;
}

export interface ProductListFilter {
  category?: string;
  status?: 'active' | 'discontinued';
  minPrice?: number;
  maxPrice?: number;
  cursor?: string;
  limit: number;
}

/**
 * Products ordered by name. `name >= ''` leaves out documents that are not products yet (their
 * name is null) and lets the store walk the name indexes.
 */
export async function listProducts(
  documents: DocumentStore,
  filter: ProductListFilter,
): Promise<ListPage<ProductView>> {
  const where: Record<string, Condition> = { name: { gte: '' } };
  if (filter.category !== undefined) where.category = filter.category;
  if (filter.status !== undefined) where.status = filter.status;
  if (filter.minPrice !== undefined || filter.maxPrice !== undefined) {
    where['price.amount'] = {
      ...(filter.minPrice !== undefined && { gte: filter.minPrice }),
      ...(filter.maxPrice !== undefined && { lte: filter.maxPrice }),
    };
  }
  const page = await documents.find<ProductDoc>(PRODUCTS, {
    where,
    sort: [{ field: 'name', direction: 'asc' }],
    cursor: filter.cursor ?? null,
    limit: filter.limit,
  });
  return {
    items: page.items.flatMap((doc) => productView(doc) ?? []),
    nextCursor: page.nextCursor,
  };
}
