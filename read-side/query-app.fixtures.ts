/** For specs: the query app over real SQLite read models, fed by real commands through the engine's fold. */
import type { Express } from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { openLruCache } from '../shared-kernel/cache/lru-cache';
import type { Cache } from '../shared-kernel/cache/port';
import type { DocumentStore } from '../shared-kernel/document-store/port';
import { readModelsFile } from '../shared-kernel/document-store/sqlite/open';
import { openSqliteDocumentStore } from '../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { Position, RecordedEvent } from '../shared-kernel/events/envelope';
import type { EventStore } from '../shared-kernel/event-store/port';
import { openSqliteEventStore } from '../shared-kernel/event-store/sqlite';
import { createLogger, type Logger } from '../shared-kernel/logging/logger';
import type { SearchIndex } from '../shared-kernel/search-index/port';
import { openSqliteSearchIndex } from '../shared-kernel/search-index/sqlite/sqlite-search-index';
import { domainEventUpcasting } from '../write-side/aggregates';
import { openSqliteIdempotencyStore } from '../shared-kernel/idempotency/sqlite';
import { createCommandApp } from '../write-side/api/app';
import { createCommandHandler } from '../write-side/command-handling/command-handler';
import { commandDispatcher } from '../write-side/command-handling/dispatch';
import { commitEvents } from '../projections/engine/commit';
import type { ProcessorSpec } from '../projections/engine/processor';
import { searchProcessor } from '../projections/processors/search-processor';
import { auditProjection } from '../projections/read-models/audit';
import { inventoryProjection } from '../projections/read-models/inventory';
import { ordersProjection } from '../projections/read-models/orders';
import {
  PRODUCT_SEARCH_INDEX,
  productSearchStateProjection,
  searchIndexOperation,
} from '../projections/read-models/product-search';
import { productsProjection } from '../projections/read-models/products';
import { createQueryApp } from './app';
import { startCheckpointWatcher, type CheckpointWatcher } from './consistency/checkpoint-watcher';

export interface QueryFixture {
  /** The data directory holding the event store and read models. */
  dir: string;
  /** The query API under test. */
  app: Express;
  /** The command API on the same event store, for making real events. */
  commands: Express;
  /** That event store, for a spec that builds its own command app on it. */
  events: EventStore;
  documents: DocumentStore;
  search: SearchIndex;
  watcher: CheckpointWatcher;
  logLines: string[];
  /** The domain time the next commands happen at. */
  setClock(iso: string): void;
  /** Folds every event not yet seen into the read models (one batch per processor), as the worker would. */
  project(processors?: readonly string[]): Promise<Position | null>;
  close(): Promise<void>;
}

export interface QueryFixtureOptions {
  cache?: Cache;
  minPositionWaitMs?: number;
  cacheTtlMs?: number;
}

export async function openQueryFixture(options: QueryFixtureOptions = {}): Promise<QueryFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-h9-'));
  const logLines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) =>
    logLines.push(...chunk.toString().split('\n').filter(Boolean)),
  );
  const logger: Logger = createLogger({ service: 'test', level: 'info', format: 'json', stream });
  const events = openSqliteEventStore({ dataDir: dir });
  const documents = openSqliteDocumentStore({ file: readModelsFile(dir) });
  const search = openSqliteSearchIndex({
    file: path.join(dir, 'search.db'),
    declarations: [PRODUCT_SEARCH_INDEX],
  });
  await search.swapAlias(
    PRODUCT_SEARCH_INDEX.name,
    await search.createTarget(PRODUCT_SEARCH_INDEX.name),
  );

  const specs: ProcessorSpec[] = [
    ...[productsProjection(), ordersProjection(), inventoryProjection(), auditProjection()].map(
      (projection) => ({ projection, rebuildable: true }),
    ),
    searchProcessor({
      projection: productSearchStateProjection(),
      index: search,
      writeTo: PRODUCT_SEARCH_INDEX.name,
      toOperation: searchIndexOperation,
    }),
  ];
  for (const spec of specs) {
    for (const collection of spec.projection.collections)
      await documents.ensureCollection(collection);
  }
  const upcasting = domainEventUpcasting();
  const upcast = (event: RecordedEvent) => upcasting.upcast(event);

  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  const idempotency = openSqliteIdempotencyStore({ dataDir: dir });
  const commands = createCommandApp({
    dispatch: commandDispatcher(createCommandHandler({ store: events, upcasting, logger })),
    store: events,
    idempotency,
    logger,
    bodyLimitBytes: 65_536,
    // Each command a second after the last, unless a spec sets the time.
    clock: () => new Date((clock += 1000)),
  });

  const watcher = await startCheckpointWatcher({ store: documents, logger, idleMs: 20 });
  const cache = options.cache ?? openLruCache();
  const app = createQueryApp({
    documents,
    search,
    cache,
    watcher,
    logger,
    cacheTtlMs: options.cacheTtlMs ?? 60_000,
    minPositionWaitMs: options.minPositionWaitMs ?? 2_000,
  });

  async function project(processors?: readonly string[]): Promise<Position | null> {
    let head: Position | null = null;
    for (const spec of specs) {
      const name = spec.projection.name;
      if (processors && !processors.includes(name)) continue;
      const from = await documents.getCheckpoint(name);
      const batch: RecordedEvent[] = [];
      for await (const event of events.readAll({ after: from })) batch.push(event);
      const last = batch[batch.length - 1];
      if (!last) continue;
      const relevant = batch.filter((event) => spec.projection.handles.has(event.type));
      await commitEvents(
        { spec, store: documents, upcast },
        { events: relevant, from, to: last.position },
      );
      head = last.position;
    }
    await watcher.refresh();
    return head;
  }

  return {
    dir,
    app,
    commands,
    events,
    documents,
    search,
    watcher,
    logLines,
    setClock: (iso) => void (clock = Date.parse(iso) - 1000),
    project,
    async close() {
      watcher.stop();
      await Promise.all([
        events.close(),
        documents.close(),
        search.close(),
        cache.close(),
        idempotency.close(),
      ]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Command helpers over the fixture's command API; each returns the command's answer body. */
export function commandsOf(fixture: QueryFixture) {
  const post = async (url: string, body: object, actor = 'alice') =>
    (
      await request(fixture.commands)
        .post(url)
        .set('X-Actor', actor)
        .send(body)
        .expect((res) => {
          if (res.status >= 300)
            throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
        })
    ).body as { id: string; streamRevision: number; position: string };
  return {
    post,
    createProduct: (
      fields: { sku: string; name: string; category: string; amount: number; description?: string },
      actor?: string,
    ) =>
      post(
        '/products',
        {
          sku: fields.sku,
          name: fields.name,
          category: fields.category,
          description: fields.description ?? `${fields.name} description`,
          price: { amount: fields.amount, currency: 'EUR' },
        },
        actor,
      ),
    changePrice: (productId: string, amount: number, actor?: string) =>
      post(`/products/${productId}/price`, { price: { amount, currency: 'EUR' } }, actor),
    receive: (sku: string, quantity: number) => post(`/inventory/${sku}/receipts`, { quantity }),
    placeOrder: (customerId: string, lines: Array<{ productId: string; quantity: number }>) =>
      post('/orders', {
        customerId,
        lines,
        shippingAddress: {
          name: 'Ada',
          line1: '1 Main St',
          city: 'Leeds',
          postalCode: 'LS1',
          country: 'GB',
        },
      }),
  };
}
