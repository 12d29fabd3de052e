/**
 * Field limits of the command API, in one place so the DTOs and the docs agree; the query API
 * bounds its filters on the same fields (a category) by the same numbers.
 */
export const LIMITS = {
  name: 200,
  description: 5000,
  category: 200,
  reason: 1000,
  reference: 200,
  attributes: { maxEntries: 50, maxKeyLength: 100, maxValueLength: 1000 },
  quantity: 1_000_000,
  orderLines: 100,
  address: { name: 200, line: 200, city: 100, postalCode: 20 },
  carrier: 100,
  trackingNumber: 100,
} as const;
