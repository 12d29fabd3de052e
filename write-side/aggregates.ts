import type { Decider } from '../shared-kernel/decider';
import type { DomainEvent } from '../shared-kernel/events/envelope';
import {
  eventUpcasting,
  mergeSchemaVersions,
  type EventUpcasting,
  type SchemaVersions,
  type Upcaster,
} from '../shared-kernel/events/upcasting';
import { productDecider } from './catalog/product/decider';
import { PRODUCT_EVENT_SCHEMA_VERSIONS, PRODUCT_UPCASTERS } from './catalog/product/events';
import { skuDecider } from './catalog/sku/decider';
import { SKU_EVENT_SCHEMA_VERSIONS } from './catalog/sku/events';
import { stockItemDecider } from './inventory/stock-item/decider';
import { STOCK_ITEM_EVENT_SCHEMA_VERSIONS } from './inventory/stock-item/events';
import { orderDecider } from './orders/order/decider';
import { ORDER_EVENT_SCHEMA_VERSIONS } from './orders/order/events';

/** What the command handler and the audit read model need to know of one aggregate type. */
export interface AggregateDefinition<C, S, E extends DomainEvent> {
  /** Stream id = prefix + aggregate id. */
  readonly streamPrefix: string;
  /** The field of every command's data that names the aggregate id. */
  readonly idField: string;
  /**
   * Bump when what `evolve` computes changes in code it calls (a helper, a library): stored
   * snapshots of the old version are then ignored. Changes to `evolve` itself, to the schema
   * versions and to the upcasters are noticed without it (see snapshot-version.ts).
   */
  readonly stateVersion: number;
  readonly decider: Decider<C, S, E>;
  /** Version each of its event types is written at. */
  readonly schemaVersions: SchemaVersions;
  readonly upcasters: readonly Upcaster[];
}

function define<C, S, E extends DomainEvent>(
  definition: AggregateDefinition<C, S, E>,
): AggregateDefinition<C, S, E> {
  return definition;
}

/** Immutable table of the domain's aggregates (data, not state, so no singleton concerns). */
export const aggregates = {
  product: define({
    streamPrefix: 'product-',
    stateVersion: 1,
    idField: 'productId',
    decider: productDecider,
    schemaVersions: PRODUCT_EVENT_SCHEMA_VERSIONS,
    upcasters: PRODUCT_UPCASTERS,
  }),
  stock: define({
    streamPrefix: 'stock-',
    stateVersion: 3,
    idField: 'sku',
    decider: stockItemDecider,
    schemaVersions: STOCK_ITEM_EVENT_SCHEMA_VERSIONS,
    upcasters: [],
  }),
  order: define({
    streamPrefix: 'order-',
    stateVersion: 1,
    idField: 'orderId',
    decider: orderDecider,
    schemaVersions: ORDER_EVENT_SCHEMA_VERSIONS,
    upcasters: [],
  }),
  sku: define({
    streamPrefix: 'sku-',
    stateVersion: 1,
    idField: 'sku',
    decider: skuDecider,
    schemaVersions: SKU_EVENT_SCHEMA_VERSIONS,
    upcasters: [],
  }),
} as const;

export type AggregateType = keyof typeof aggregates;

export function isAggregateType(value: unknown): value is AggregateType {
  return typeof value === 'string' && Object.hasOwn(aggregates, value);
}

/** The stream holding one aggregate's events. */
export function streamIdOf(type: AggregateType, id: string): string {
  return aggregates[type].streamPrefix + id;
}

/** The aggregate id a command addresses: every command names it in its data's id field. */
export function aggregateIdOf(type: AggregateType, command: { data: object }): string {
  const { idField } = aggregates[type];
  const id = (command.data as Record<string, unknown>)[idField];
  if (typeof id !== 'string') throw new TypeError(`${type} command without ${idField}`);
  return id;
}

/** The aggregate type a stream belongs to, by its prefix; null for a foreign stream. */
export function aggregateTypeOfStream(streamId: string): AggregateType | null {
  for (const type of Object.keys(aggregates) as AggregateType[]) {
    if (streamId.startsWith(aggregates[type].streamPrefix)) return type;
  }
  return null;
}

/**
 * The stream prefixes of every aggregate: the streams that are Strata's. An event store filters
 * `$all` on them, so other applications' streams never reach a projection.
 */
export function strataStreamPrefixes(): string[] {
  return Object.values(aggregates).map((definition) => definition.streamPrefix);
}

/** Upcasting for every domain event; built by each composition root, once. */
export function domainEventUpcasting(): EventUpcasting {
  const definitions = Object.values(aggregates);
  return eventUpcasting(
    mergeSchemaVersions(...definitions.map((d) => d.schemaVersions)),
    definitions.flatMap((d) => d.upcasters),
  );
}
