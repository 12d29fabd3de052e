import type { DomainEvent } from '../../../shared-kernel/events/envelope';
import type { Upcaster } from '../../../shared-kernel/events/upcasting';
import type { Money } from '../../../shared-kernel/money';

export interface ProductCreatedData {
  productId: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price: Money;
  attributes: Record<string, string>;
}

/** Only the fields that changed are present. */
export interface ProductDetailsUpdatedData {
  productId: string;
  /** Carried so read models keyed by SKU route the event without a lookup. */
  sku: string;
  name?: string;
  description?: string;
  category?: string;
  attributes?: Record<string, string>;
}

export type ProductEvent =
  | DomainEvent<'ProductCreated', ProductCreatedData>
  | DomainEvent<'ProductDetailsUpdated', ProductDetailsUpdatedData>
  | DomainEvent<
      'ProductPriceChanged',
      { productId: string; sku: string; previousPrice: Money; price: Money }
    >
  | DomainEvent<'ProductDiscontinued', { productId: string; sku: string; reason: string | null }>;

export type ProductEventType = ProductEvent['type'];

export const PRODUCT_EVENT_SCHEMA_VERSIONS: Record<ProductEventType, number> = {
  ProductCreated: 2,
  ProductDetailsUpdated: 1,
  ProductPriceChanged: 1,
  ProductDiscontinued: 1,
};

/** ProductCreated v1 stored the price as bare cents plus a separate currency field. */
type ProductCreatedV1 = Omit<ProductCreatedData, 'price'> & { price: number; currency: string };

export const PRODUCT_UPCASTERS: readonly Upcaster[] = [
  {
    type: 'ProductCreated',
    fromVersion: 1,
    upcast(data: unknown): ProductCreatedData {
      const { price, currency, ...rest } = data as ProductCreatedV1;
      if (!Number.isSafeInteger(price) || typeof currency !== 'string') {
        throw new TypeError('v1 ProductCreated needs an integer price and a currency');
      }
      return { ...rest, price: { amount: price, currency } };
    },
  },
];
