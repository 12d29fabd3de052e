import { MAX_AMOUNT } from '../../shared-kernel/bounds';
import { IsBoundedInteger, IsPattern } from '../../shared-kernel/http/field-rules';

export class MoneyDto {
  @IsBoundedInteger(0, MAX_AMOUNT)
  amount!: number;

  @IsPattern(/^[A-Z]{3}$/, 'an ISO 4217 currency code (three capitals)')
  currency!: string;
}
