import { NotEquals } from 'class-validator';
import { IsBoundedInteger, IsOmittable, IsText } from '../../../shared-kernel/http/field-rules';
import { LIMITS } from '../../../shared-kernel/http/field-limits';

export class ReceiveStockDto {
  @IsBoundedInteger(1, LIMITS.quantity) quantity!: number;
  @IsOmittable() @IsText(LIMITS.reference) reference?: string;
}

export class AdjustStockDto {
  /** Signed: negative for shrinkage or damage, positive for a count that found more. */
  @IsBoundedInteger(-LIMITS.quantity, LIMITS.quantity)
  @NotEquals(0, { message: 'must not be 0' })
  quantity!: number;
  @IsText(LIMITS.reason, { multiline: true }) reason!: string;
}
