import type { DocumentWrite } from '../../shared-kernel/document-store/port';
import type {
  DocumentVersion,
  IndexDeclaration,
  IndexOperation,
  SearchDocument,
} from '../../shared-kernel/search-index/port';
import type { DocumentProjection } from '../engine/projection';
import type { ProductDoc } from './product-document';
import { productsProjection } from './products';

/**
 * The product search index. Text is weighted name above description; price and popularity are
 * sortable (every indexed product has both), the rest are filters and facets.
 */
export const PRODUCT_SEARCH_INDEX: IndexDeclaration = Object.freeze({
  name: 'products',
  text: Object.freeze([
    { name: 'name', boost: 3 },
    { name: 'description', boost: 1 },
  ]),
  fields: Object.freeze([
    { name: 'category', type: 'keyword' },
    { name: 'status', type: 'keyword' },
    { name: 'sku', type: 'keyword' },
    { name: 'productId', type: 'keyword' },
    { name: 'currency', type: 'keyword' },
    { name: 'price', type: 'number', sortable: true },
    { name: 'available', type: 'number' },
    { name: 'popularity', type: 'number', sortable: true },
    { name: 'inStock', type: 'boolean' },
  ] as const),
});

/**
 * The search document of a `products` document, or null when the document is not a product yet
 * (only stock seen so far): it has no name or price to search or sort by, so the search
 * processor must delete it from the index (or leave it out) rather than upsert it.
 * `price` is the amount in minor units; the currency is its own keyword, since amounts of
 * different currencies do not compare. Undeclared fields ride along for rendering the hit.
 */
export function toSearchDocument(doc: ProductDoc): SearchDocument | null {
  const { productId, name, description, category, price, status } = doc;
  if (productId === null || name === null || price === null || status === null) return null;
  return {
    productId,
    sku: doc.sku,
    name,
    description: description ?? '',
    category: category ?? '',
    status,
    price: price.amount,
    currency: price.currency,
    available: doc.stock.available,
    popularity: doc.popularity,
    inStock: doc.stock.available > 0,
    attributes: { ...doc.attributes },
    stock: { ...doc.stock },
    updatedAt: doc.updatedAt,
  };
}

/**
 * The index operation for one write of the search state: an upsert of its search document, or
 * a delete when the state document is gone or not a product yet. `version` is the position of
 * the event that caused the write, so a replayed batch never moves the index backwards.
 */
export function searchIndexOperation(
  write: DocumentWrite,
  version: DocumentVersion,
): IndexOperation {
  const doc = write.doc === null ? null : toSearchDocument(write.doc as ProductDoc);
  return doc === null
    ? { op: 'delete', id: write.id, version }
    : { op: 'upsert', id: write.id, version, doc };
}

export const PRODUCT_SEARCH_PROCESSOR = 'product-search';
export const PRODUCT_SEARCH_STATE = 'product_search_state';

/**
 * The search processor's own copy of the products fold: same events, same documents, but its
 * own checkpoint and state collection, so the search index can be rebuilt (or lag) without
 * touching the `products` read model. The state is read by id only, so it declares no index.
 */
export function productSearchStateProjection(): DocumentProjection {
  return productsProjection({
    name: PRODUCT_SEARCH_PROCESSOR,
    collection: { name: PRODUCT_SEARCH_STATE, indexes: [] },
  });
}
