/**
 * The public integration events, version 1: the shapes other systems rely on, deliberately
 * not the internal events. Internal events may change freely; these change only by adding a
 * v2 next to v1. No shipping addresses or payment references: they stay inside Strata.
 */
import type { JsonObject } from '../../shared-kernel/integration/port';

export interface PublicMoney extends JsonObject {
  amount: number;
  currency: string;
}

/** `ProductUpdated` (on create, detail and price changes): the whole current product. */
export interface PublicProduct extends JsonObject {
  productId: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price: PublicMoney;
  attributes: { [name: string]: string };
  status: 'active' | 'discontinued';
}

/** `ProductDiscontinued`: the product as it was discontinued, and why. */
export interface PublicProductDiscontinued extends PublicProduct {
  reason: string | null;
}

/** `StockLevelChanged`, after every stock event. */
export interface PublicStockLevel extends JsonObject {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface PublicOrderLine extends JsonObject {
  productId: string;
  sku: string;
  quantity: number;
  unitPrice: PublicMoney;
  lineTotal: PublicMoney;
}

/** Every order event carries the order as it now is, plus that event's own facts. */
export interface PublicOrder extends JsonObject {
  orderId: string;
  customerId: string;
  status: 'placed' | 'confirmed' | 'paid' | 'shipped' | 'rejected' | 'cancelled';
  lines: PublicOrderLine[];
  total: PublicMoney;
}

export type PublicOrderEventType =
  | 'OrderPlaced'
  | 'OrderConfirmed'
  | 'OrderRejected'
  | 'OrderPaid'
  | 'OrderShipped'
  | 'OrderCancelled';
