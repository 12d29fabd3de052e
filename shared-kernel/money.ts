import { ValidationError } from './errors';

/** Money in integer minor units (cents), never floats, with an ISO 4217 currency code. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

const CURRENCY = /^[A-Z]{3}$/;

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) {
    throw new ValidationError([{ field: 'amount', message: 'must be an integer in minor units' }]);
  }
  if (!CURRENCY.test(currency)) {
    throw new ValidationError([
      { field: 'currency', message: 'must be an ISO 4217 code (three capitals)' },
    ]);
  }
  return { amount, currency };
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function multiplyMoney(a: Money, factor: number): Money {
  return money(a.amount * factor, a.currency);
}

export function moneyEquals(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new ValidationError([
      { field: 'currency', message: `cannot combine ${a.currency} with ${b.currency}` },
    ]);
  }
}
