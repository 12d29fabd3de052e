/**
 * The largest amount and quantity Strata handles, for the domain and the DTOs alike, so a value
 * one part accepts is never one another refuses (an order that can be placed can be paid).
 */

/** In minor units: ten billion in a two-decimal currency, well inside exact JavaScript integers. */
export const MAX_AMOUNT = 1_000_000_000_000;

/** Units on one order line, in one stock receipt or adjustment. */
export const MAX_QUANTITY = 1_000_000;
