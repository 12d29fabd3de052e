import { IsText, IsOmittable } from '../../shared-kernel/http/field-rules';
import { LIMITS } from '../../shared-kernel/http/field-limits';
import { IsCursor, IsMinorUnits, IsOneOf, IsPageSize, IsPlainText } from '../http/param-rules';
import { SEARCH_SORTS } from './product-search';

/** `q` is text to look for, never a query language; its length bounds the cost of a search. */
export const MAX_QUERY_TEXT = 200;

export class ProductListQuery {
  @IsOmittable() @IsText(LIMITS.category) category?: string;
  @IsOmittable() @IsOneOf(['active', 'discontinued']) status?: 'active' | 'discontinued';
  @IsOmittable() @IsMinorUnits() minPrice?: string;
  @IsOmittable() @IsMinorUnits() maxPrice?: string;
  @IsOmittable() @IsCursor() cursor?: string;
  @IsOmittable() @IsPageSize() limit?: string;
}

export class ProductSearchQuery {
  @IsOmittable() @IsPlainText(MAX_QUERY_TEXT) q?: string;
  @IsOmittable() @IsText(LIMITS.category) category?: string;
  @IsOmittable() @IsMinorUnits() minPrice?: string;
  @IsOmittable() @IsMinorUnits() maxPrice?: string;
  @IsOmittable() @IsOneOf(['true', 'false']) inStock?: 'true' | 'false';
  @IsOmittable() @IsOneOf(SEARCH_SORTS) sort?: (typeof SEARCH_SORTS)[number];
  @IsOmittable() @IsCursor() cursor?: string;
  @IsOmittable() @IsPageSize() limit?: string;
}
