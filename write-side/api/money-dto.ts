import { IsBoundedInteger, IsPattern } from '../../shared-kernel/http/field-rules';

/** The largest amount accepted, in minor units: ten billion in a two-decimal currency. */
export const MAX_AMOUNT = 1_000_000_000_000;

export class MoneyDto {
  @IsBoundedInteger(0, MAX_AMOUNT)
  amount!: number;

  @IsPattern(/^[A-Z]{3}$/, 'an ISO 4217 currency code (three capitals)')
  currency!: string;
}
