import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { createLogger, type Logger } from '../../shared-kernel/logging/logger';
import { newId } from '../../shared-kernel/ids';
import { domainEventUpcasting } from '../aggregates';
import { createCommandHandler, type CommandHandler } from './command-handler';
import { expect } from 'chai';
import type { CommandContext, CommandRequest } from './command-request';
import type { RetryPolicy } from './retry-policy';

/** For specs: a real embedded store in a temp dir, and a logger whose lines can be read back. */
export interface HandlerFixture {
  store: EventStore;
  logger: Logger;
  logLines: string[];
  handler(retry?: Partial<RetryPolicy>): CommandHandler;
  allEvents(): Promise<RecordedEvent[]>;
  streamEvents(streamId: string): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

export function openHandlerFixture(): HandlerFixture {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-h4-'));
  const logLines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) =>
    logLines.push(...chunk.toString().split('\n').filter(Boolean)),
  );
  const logger = createLogger({ service: 'test', level: 'debug', format: 'json', stream });
  const store = openSqliteEventStore({ dataDir: dir });
  const upcasting = domainEventUpcasting();
  const collect = async (events: AsyncIterable<RecordedEvent>) => {
    const out: RecordedEvent[] = [];
    for await (const event of events) out.push(event);
    return out;
  };
  return {
    store,
    logger,
    logLines,
    handler: (retry) => createCommandHandler({ store, upcasting, logger, retry }),
    allEvents: () => collect(store.readAll()),
    streamEvents: (streamId) => collect(store.readStream(streamId)),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function testContext(overrides: Partial<CommandContext> = {}): CommandContext {
  return {
    correlationId: newId(),
    actor: 'tester',
    occurredAt: '2025-01-02T03:04:05.000Z',
    ...overrides,
  };
}

export const EUR = (amount: number) => ({ amount, currency: 'EUR' });

export function createProductRequest(
  productId: string,
  sku: string,
  amount = 1000,
): CommandRequest<'product'> {
  return {
    aggregate: 'product',
    commandId: newId(),
    context: testContext(),
    command: {
      type: 'CreateProduct',
      data: {
        productId,
        sku,
        name: 'Kettle',
        description: '',
        category: 'kitchen',
        price: EUR(amount),
        attributes: {},
      },
    },
  };
}

export function receiveStockRequest(sku: string, quantity: number): CommandRequest<'stock'> {
  return {
    aggregate: 'stock',
    commandId: newId(),
    context: testContext(),
    command: { type: 'ReceiveStock', data: { sku, quantity } },
  };
}

export async function failureOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.fail('expected a failure'),
    (error: unknown) => error,
  );
}
