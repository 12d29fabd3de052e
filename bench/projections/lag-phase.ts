import type { Batch, DocumentStore } from '../../shared-kernel/document-store/port';
import type { Position, RecordedEvent } from '../../shared-kernel/events/envelope';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { newId } from '../../shared-kernel/ids';
import type { Logger } from '../../shared-kernel/logging/logger';
import { DEAD_LETTERS } from '../../projections/engine/dead-letters';
import { createRunner, type RunnerOptions } from '../../projections/engine/runner';
import { readModelSpecs } from '../../projections/processors';
import type { SearchIndex } from '../../shared-kernel/search-index/port';
import { domainEventUpcasting } from '../../write-side/aggregates';
import { createCommandHandler } from '../../write-side/command-handling/command-handler';
import { commandDispatcher } from '../../write-side/command-handling/dispatch';
import { createLatencyRecorder, type LatencySummary } from '../support/measure';
import { observedStore } from './observed-store';
import { seededRandom } from './seeded-random';

export interface LagDeps {
  eventStore: EventStore;
  store: DocumentStore;
  search: SearchIndex;
  upcast: (event: RecordedEvent) => RecordedEvent;
  logger: Logger;
  options: RunnerOptions;
  /** SKUs `SKU-000000` .. of the generated history get stock receipts. */
  products: number;
  commandsPerSecond: number;
  seconds: number;
}

export interface LagFigures {
  commands: number;
  achievedPerSecond: number;
  /** Append done (position known) -> the products checkpoint committed at or past it. */
  appendToReadModel: LagSummary;
  /** Command issued -> the same commit: what a client waiting on `minPosition` sees. */
  commandToReadModel: LagSummary;
  append: LatencySummary;
}

type LagSummary = LatencySummary;

interface InFlight {
  issuedAt: number;
  appendedAt: number;
  position: Position;
}

/**
 * Lag from append to read model under a steady load: `ReceiveStock` commands through the real
 * command handler (context loader, decider, append with expected revision) at a fixed rate, open
 * loop, while a `products` runner is live. The store is observed so the moment each batch and
 * its checkpoint committed is taken at the commit itself, not by polling.
 */
export async function measureLag(deps: LagDeps): Promise<LagFigures> {
  const random = seededRandom(500);
  const appendLag = createLatencyRecorder();
  const commandLag = createLatencyRecorder();
  const appendLatency = createLatencyRecorder();
  let waiting: InFlight[] = [];
  let committed: Position | null = null;
  const settle = (at: number) => {
    waiting = waiting.filter((w) => {
      if (committed === null || w.position > committed) return true;
      appendLag.record(Math.max(0, at - w.appendedAt));
      commandLag.record(at - w.issuedAt);
      return false;
    });
  };
  const store = observedStore(deps.store, (batch: Batch) => {
    if (batch.checkpoint?.processor !== 'products') return;
    committed = batch.checkpoint.position;
    settle(performance.now());
  });
  const spec = readModelSpecs(deps.search).find((s) => s.projection.name === 'products')!;
  const runner = createRunner({ ...deps, store, spec });
  const dispatch = commandDispatcher(
    createCommandHandler({
      store: deps.eventStore,
      upcasting: domainEventUpcasting(),
      logger: deps.logger,
    }),
  );
  for (const collection of [DEAD_LETTERS, ...spec.projection.collections]) {
    await deps.store.ensureCollection(collection);
  }
  runner.start();
  while (runner.status().state !== 'caught-up') await sleep(5);
  const total = Math.round(deps.commandsPerSecond * deps.seconds);
  const intervalMs = 1000 / deps.commandsPerSecond;
  const sends: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total;) {
    const due = started + i * intervalMs;
    const now = performance.now();
    if (now < due) {
      await sleep(Math.max(0, due - now - 0.5));
      continue;
    }
    // Open loop: every command due by now goes out, none waits for the one before it.
    for (; i < total && started + i * intervalMs <= performance.now(); i++) {
      sends.push(receiveStock(dispatch, random.int(deps.products)));
    }
  }
  const achievedPerSecond = total / ((performance.now() - started) / 1000);
  await Promise.all(sends);
  const deadline = performance.now() + 10_000;
  while (waiting.length > 0 && performance.now() < deadline) await sleep(5);
  await runner.stop();
  if (waiting.length > 0)
    throw new Error(`${waiting.length} commands never reached the products read model`);
  return {
    commands: total,
    achievedPerSecond,
    appendToReadModel: appendLag.summary(),
    commandToReadModel: commandLag.summary(),
    append: appendLatency.summary(),
  };

  async function receiveStock(run: typeof dispatch, n: number): Promise<void> {
    const sku = `SKU-${String(n).padStart(6, '0')}`;
    const issuedAt = performance.now();
    const result = await run({
      aggregate: 'stock',
      commandId: newId(),
      context: { correlationId: newId(), actor: 'bench', occurredAt: new Date().toISOString() },
      command: { type: 'ReceiveStock', data: { sku, quantity: 10, reference: 'lag probe' } },
    });
    const appendedAt = performance.now();
    appendLatency.record(appendedAt - issuedAt);
    if (result.position === null) throw new Error(`ReceiveStock on ${sku} appended nothing`);
    waiting.push({ issuedAt, appendedAt, position: result.position });
    settle(appendedAt);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
