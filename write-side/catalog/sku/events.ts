import type { DomainEvent } from '../../../shared-kernel/events/envelope';

export type SkuEvent =
  | DomainEvent<'SkuReserved', { sku: string; productId: string }>
  | DomainEvent<'SkuReleased', { sku: string; productId: string }>;

export const SKU_EVENT_SCHEMA_VERSIONS: Record<SkuEvent['type'], number> = {
  SkuReserved: 1,
  SkuReleased: 1,
};
