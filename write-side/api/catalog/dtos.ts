import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import {
  IsId,
  IsOmittable,
  IsPattern,
  IsStringRecord,
  IsText,
} from '../../../shared-kernel/http/field-rules';
import { LIMITS } from '../../../shared-kernel/http/field-limits';
import { SKU_DESCRIPTION, SKU_PATTERN } from '../../../shared-kernel/ids';
import { MoneyDto } from '../money-dto';

export class CreateProductDto {
  @IsOmittable() @IsId() productId?: string;
  @IsPattern(SKU_PATTERN, SKU_DESCRIPTION) sku!: string;
  @IsText(LIMITS.name) name!: string;
  @IsOmittable() @IsText(LIMITS.description, { multiline: true }) description?: string;
  @IsText(LIMITS.category) category!: string;
  @IsObject() @ValidateNested() @Type(() => MoneyDto) price!: MoneyDto;
  @IsOmittable() @IsStringRecord(LIMITS.attributes) attributes?: Record<string, string>;
}

export class UpdateProductDetailsDto {
  @IsOmittable() @IsText(LIMITS.name) name?: string;
  @IsOmittable() @IsText(LIMITS.description, { multiline: true }) description?: string;
  @IsOmittable() @IsText(LIMITS.category) category?: string;
  @IsOmittable() @IsStringRecord(LIMITS.attributes) attributes?: Record<string, string>;
}

export class ChangeProductPriceDto {
  @IsObject() @ValidateNested() @Type(() => MoneyDto) price!: MoneyDto;
}

export class DiscontinueProductDto {
  @IsOmittable() @IsText(LIMITS.reason, { multiline: true }) reason?: string;
}
