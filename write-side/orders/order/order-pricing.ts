import { requireNonEmpty, requirePositiveInteger } from '../../../shared-kernel/decider';
import { ConflictError, ValidationError } from '../../../shared-kernel/errors';
import { addMoney, multiplyMoney, type Money } from '../../../shared-kernel/money';
import type { OrderCommand, PlaceOrderLine } from './commands';
import type { OrderLine, OrderPlacedData } from './events';

type PlaceOrderData = Extract<OrderCommand, { type: 'PlaceOrder' }>['data'];

/**
 * Prices an order from the catalog snapshot the handler loaded. Lines naming the same product
 * twice are merged (quantities added) rather than refused: a client that adds an item twice
 * means the sum, and one line per product keeps one stock reservation per SKU.
 */
export function priceOrder(data: PlaceOrderData): OrderPlacedData {
  requireNonEmpty('customerId', data.customerId);
  if (!Array.isArray(data.lines) || data.lines.length === 0) {
    throw new ValidationError([{ field: 'lines', message: 'an order needs at least one line' }]);
  }
  const lines = mergeLines(data.lines).map(priceLine);
  const currencies = new Set(lines.map((line) => line.unitPrice.currency));
  if (currencies.size > 1) {
    throw new ConflictError(
      'mixed-currencies',
      `all lines must share one currency, got ${[...currencies].join(', ')}`,
    );
  }
  requireDistinctSkus(lines);
  const total = lines
    .map((line) => line.lineTotal)
    .reduce((sum: Money, lineTotal) => addMoney(sum, lineTotal));
  return {
    orderId: data.orderId,
    customerId: data.customerId,
    lines,
    total,
    shippingAddress: { ...data.shippingAddress },
    placedAt: data.at,
  };
}

function mergeLines(lines: PlaceOrderLine[]): PlaceOrderLine[] {
  const byProduct = new Map<string, PlaceOrderLine>();
  lines.forEach((line, index) => {
    requireNonEmpty(`lines[${index}].productId`, line.productId);
    requirePositiveInteger(`lines[${index}].quantity`, line.quantity);
    const seen = byProduct.get(line.productId);
    byProduct.set(
      line.productId,
      seen ? { ...seen, quantity: seen.quantity + line.quantity } : { ...line },
    );
  });
  return [...byProduct.values()];
}

function priceLine(line: PlaceOrderLine): OrderLine {
  const { product, productId, quantity } = line;
  if (product === null) {
    throw new ConflictError('unknown-product', `product ${productId} does not exist`);
  }
  if (product.status === 'discontinued') {
    throw new ConflictError('product-discontinued', `product ${productId} is discontinued`);
  }
  return {
    productId,
    sku: product.sku,
    quantity,
    unitPrice: product.price,
    lineTotal: multiplyMoney(product.price, quantity),
  };
}

/** Stock is reserved per SKU and order, so two lines on one SKU would share one reservation. */
function requireDistinctSkus(lines: OrderLine[]): void {
  const skus = new Set<string>();
  for (const line of lines) {
    if (skus.has(line.sku)) {
      throw new ValidationError([
        { field: 'lines', message: `two products share SKU ${line.sku}` },
      ]);
    }
    skus.add(line.sku);
  }
}
