import type { Money } from '../../../shared-kernel/money';

/** The product as the catalog had it at placement; null when no such product exists. */
export interface ProductSnapshot {
  sku: string;
  price: Money;
  status: 'active' | 'discontinued';
  /** The product's stream revision this snapshot is of. */
  revision: number;
}

export interface PlaceOrderLine {
  productId: string;
  quantity: number;
  /** Filled in by the command handler from the product's current state. */
  product: ProductSnapshot | null;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

/** Commands on an order (stream `order-<orderId>`); `at` is the ISO time of the change. */
export type OrderCommand =
  | {
      type: 'PlaceOrder';
      data: {
        orderId: string;
        customerId: string;
        lines: PlaceOrderLine[];
        shippingAddress: ShippingAddress;
        at: string;
      };
    }
  | {
      type: 'ConfirmOrder';
      /**
       * `changedProducts`: filled in by the handler's context, the products whose price or
       * status changed after the order read them and before it was placed (it is then rejected).
       */
      data: { orderId: string; at: string; changedProducts?: string[] };
    }
  | {
      type: 'RejectOrder';
      data: { orderId: string; reason: string; failedSkus: string[]; at: string };
    }
  | {
      type: 'RecordPayment';
      data: { orderId: string; amount: Money; paymentReference: string; at: string };
    }
  | {
      type: 'ShipOrder';
      data: { orderId: string; carrier: string; trackingNumber: string; at: string };
    }
  | { type: 'CancelOrder'; data: { orderId: string; reason: string; at: string } };

export type OrderCommandType = OrderCommand['type'];
