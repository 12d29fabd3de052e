import type { Money } from '../../../shared-kernel/money';

/** Commands on a product (stream `product-<productId>`). */
export type ProductCommand =
  | {
      type: 'CreateProduct';
      data: {
        productId: string;
        sku: string;
        name: string;
        description: string;
        category: string;
        price: Money;
        attributes: Record<string, string>;
      };
    }
  | {
      type: 'UpdateProductDetails';
      data: {
        productId: string;
        name?: string;
        description?: string;
        category?: string;
        /** Replaces the whole attribute map when given. */
        attributes?: Record<string, string>;
      };
    }
  | { type: 'ChangeProductPrice'; data: { productId: string; price: Money } }
  | { type: 'DiscontinueProduct'; data: { productId: string; reason?: string } };

export type ProductCommandType = ProductCommand['type'];
