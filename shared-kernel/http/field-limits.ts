/** Field limits of the command API, in one place so the DTOs and the docs agree. */
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

/** Same rule as the SKU decider's (`isValidSku`), stated here for the error message. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const SKU_DESCRIPTION = '1-64 characters of [A-Za-z0-9._-], starting with a letter or digit';
