import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, ValidateNested } from 'class-validator';
import {
  IsBoundedInteger,
  IsId,
  IsOmittable,
  IsPattern,
  IsText,
} from '../../../shared-kernel/http/field-rules';
import { LIMITS } from '../../../shared-kernel/http/field-limits';
import { MoneyDto } from '../money-dto';

export class OrderLineDto {
  @IsId() productId!: string;
  @IsBoundedInteger(1, LIMITS.quantity) quantity!: number;
}

export class ShippingAddressDto {
  @IsText(LIMITS.address.name) name!: string;
  @IsText(LIMITS.address.line) line1!: string;
  @IsOmittable() @IsText(LIMITS.address.line) line2?: string;
  @IsText(LIMITS.address.city) city!: string;
  @IsText(LIMITS.address.postalCode) postalCode!: string;
  @IsPattern(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code (two capitals)') country!: string;
}

export class PlaceOrderDto {
  @IsOmittable() @IsId() orderId?: string;
  @IsId() customerId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.orderLines)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines!: OrderLineDto[];

  @IsObject()
  @ValidateNested()
  @Type(() => ShippingAddressDto)
  shippingAddress!: ShippingAddressDto;
}

export class RecordPaymentDto {
  @IsObject() @ValidateNested() @Type(() => MoneyDto) amount!: MoneyDto;
  @IsText(LIMITS.reference) paymentReference!: string;
}

export class ShipOrderDto {
  @IsText(LIMITS.carrier) carrier!: string;
  @IsText(LIMITS.trackingNumber) trackingNumber!: string;
}

export class CancelOrderDto {
  @IsText(LIMITS.reason, { multiline: true }) reason!: string;
}
