import type { DocumentProjection } from '../engine/projection';
import { auditProjection } from './audit';
import { inventoryProjection } from './inventory';
import { ordersProjection } from './orders';
import { productSearchStateProjection } from './product-search';
import { productsProjection } from './products';

export { AUDIT_COLLECTION, auditEntryId, type AuditEntry } from './audit';
export type { InventoryDoc } from './inventory';
export type { OrderDoc } from './orders';
export {
  PRODUCT_SEARCH_INDEX,
  PRODUCT_SEARCH_PROCESSOR,
  PRODUCT_SEARCH_STATE,
  searchIndexOperation,
  toSearchDocument,
} from './product-search';
export type { ProductDoc } from './products';
export { diffStates, type StateChange } from './state-diff';

/**
 * The document projections the projection worker runs, each under its own processor name and
 * checkpoint. Built fresh per call: the worker's composition root owns the instances.
 */
export function readModelProjections(): DocumentProjection[] {
  return [
    productsProjection(),
    ordersProjection(),
    inventoryProjection(),
    auditProjection(),
    productSearchStateProjection(),
  ];
}
