import { assertNever, requireNonEmpty, type Decider } from '../../../shared-kernel/decider';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared-kernel/errors';
import { money, moneyEquals, type Money } from '../../../shared-kernel/money';
import { requireValidSku } from '../sku/decider';
import type { ProductCommand } from './commands';
import type { ProductDetailsUpdatedData, ProductEvent } from './events';

export type ProductStatus = 'active' | 'discontinued';

export interface ProductDetails {
  productId: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price: Money;
  attributes: Record<string, string>;
}

export type ProductState = { status: 'absent' } | ({ status: ProductStatus } & ProductDetails);
export type ExistingProduct = Exclude<ProductState, { status: 'absent' }>;

export const productDecider: Decider<ProductCommand, ProductState, ProductEvent> = {
  initialState: { status: 'absent' },

  decide(command, state) {
    switch (command.type) {
      case 'CreateProduct': {
        const { data } = command;
        if (state.status !== 'absent') {
          throw new ConflictError('product-already-exists', `product ${data.productId} exists`);
        }
        requireValidSku(data.sku);
        requireNonEmpty('name', data.name);
        requireNonEmpty('category', data.category);
        const { productId, sku, name, description, category, attributes } = data;
        const price = validPrice(data.price);
        const created = { productId, sku, name, description, category, price, attributes };
        return [{ type: 'ProductCreated', data: { ...created, attributes: { ...attributes } } }];
      }
      case 'UpdateProductDetails': {
        const product = requireActive(state, command.data.productId);
        const changes = changedDetails(product, command.data);
        return Object.keys(changes).length === 2
          ? []
          : [{ type: 'ProductDetailsUpdated', data: changes }];
      }
      case 'ChangeProductPrice': {
        const product = requireActive(state, command.data.productId);
        const price = validPrice(command.data.price);
        if (moneyEquals(product.price, price)) return [];
        const data = {
          productId: product.productId,
          sku: product.sku,
          previousPrice: product.price,
          price,
        };
        return [{ type: 'ProductPriceChanged', data }];
      }
      case 'DiscontinueProduct': {
        const product = requireExisting(state, command.data.productId);
        if (product.status === 'discontinued') return [];
        const reason = command.data.reason ?? null;
        const data = { productId: product.productId, sku: product.sku, reason };
        return [{ type: 'ProductDiscontinued', data }];
      }
      default:
        return assertNever(command, 'product command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ProductCreated':
        return { status: 'active', ...event.data };
      case 'ProductDetailsUpdated': {
        if (state.status === 'absent') return state;
        const { productId: _id, sku: _sku, ...changes } = event.data;
        return { ...state, ...changes };
      }
      case 'ProductPriceChanged':
        return state.status === 'absent' ? state : { ...state, price: event.data.price };
      case 'ProductDiscontinued':
        return state.status === 'absent' ? state : { ...state, status: 'discontinued' };
      default:
        return assertNever(event, 'product event');
    }
  },
};

function requireExisting(state: ProductState, productId: string): ExistingProduct {
  if (state.status === 'absent') throw new NotFoundError(`product ${productId} does not exist`);
  return state;
}

function requireActive(state: ProductState, productId: string): ExistingProduct {
  const product = requireExisting(state, productId);
  if (product.status === 'discontinued') {
    throw new ConflictError('product-discontinued', `product ${productId} is discontinued`);
  }
  return product;
}

function validPrice(price: Money): Money {
  const checked = money(price.amount, price.currency);
  if (checked.amount < 0) {
    throw new ValidationError([{ field: 'price.amount', message: 'must not be negative' }]);
  }
  return checked;
}

/** Keeps only what differs, so an update that changes nothing records nothing. */
function changedDetails(
  product: ExistingProduct,
  update: Omit<ProductDetailsUpdatedData, 'sku'>,
): ProductDetailsUpdatedData {
  const changes: ProductDetailsUpdatedData = { productId: product.productId, sku: product.sku };
  if (update.name !== undefined && update.name !== product.name) {
    requireNonEmpty('name', update.name);
    changes.name = update.name;
  }
  if (update.description !== undefined && update.description !== product.description) {
    changes.description = update.description;
  }
  if (update.category !== undefined && update.category !== product.category) {
    requireNonEmpty('category', update.category);
    changes.category = update.category;
  }
  if (update.attributes !== undefined && !sameAttributes(update.attributes, product.attributes)) {
    changes.attributes = { ...update.attributes };
  }
  return changes;
}

function sameAttributes(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k])
  );
}
