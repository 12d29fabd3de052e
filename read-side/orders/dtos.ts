import { IsOmittable } from '../../shared-kernel/http/field-rules';
import { IsCursor, IsOneOf, IsPageSize } from '../http/param-rules';
import type { OrderStatus } from '../../write-side/orders/order/decider';
import { ORDER_STATUSES } from './orders';

export class CustomerOrdersQuery {
  @IsOmittable() @IsOneOf(ORDER_STATUSES) status?: OrderStatus;
  @IsOmittable() @IsCursor() cursor?: string;
  @IsOmittable() @IsPageSize() limit?: string;
}
