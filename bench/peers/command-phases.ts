import type { EventMetadata, NewEvent } from '../../shared-kernel/events/envelope';
import type { EventUpcasting } from '../../shared-kernel/events/upcasting';
import { newId } from '../../shared-kernel/ids';
import { aggregates, streamIdOf } from '../../write-side/aggregates';
import { createCommandHandler } from '../../write-side/command-handling/command-handler';
import type { CommandOf, StateOf } from '../../write-side/command-handling/command-request';
import { runInFlight } from '../support/measure';
import type { PeerDecider } from './peer';
import { IN_FLIGHT, type PeersContext, type PeersSizes } from './peers-context';
import { plainCommands } from './plain-commands';
import { countingFailures, recordSideBySide } from './side-by-side';

/** One stock receipt: the same command, ids and context for both handlers, made up front. */
interface Receipt {
  sku: string;
  commandId: string;
  correlationId: string;
  occurredAt: string;
}

type StockCommand = CommandOf<'stock'>;
type StockState = StateOf<'stock'>;

/**
 * Commands through each library's own handler, in process: Strata's generic command handler
 * (load, fold, decide, append with the expected revision, retry a conflict) and Emmett's
 * `DeciderCommandHandler` over Strata's own stock item decider, so both decide alike and append
 * the same events with the same metadata. `ReceiveStock` on a new aggregate per command with 32
 * in flight, then on one hot aggregate, with 1 and with 32 in flight (its history grows).
 */
export async function commandPhases(context: PeersContext, sizes: PeersSizes): Promise<void> {
  const { strata, upcasting, logger } = context;
  const strataHandler = createCommandHandler({ store: strata, upcasting, logger });
  const emmettHandler = context.emmett.commandHandler(
    stockDecider(upcasting),
    aggregates.stock.streamPrefix,
  );
  const runs: Array<{ name: string; inFlight: number; receipts: Receipt[] }> = [
    {
      name: `commands, a new aggregate each, ${IN_FLIGHT} in flight`,
      inFlight: IN_FLIGHT,
      receipts: receipts(sizes.coldCommands, (i) => `cold-${i}`),
    },
    ...[1, IN_FLIGHT].map((inFlight) => ({
      name: `commands on one hot aggregate (0 -> ${sizes.hotCommands} events), ${inFlight} in flight`,
      inFlight,
      receipts: receipts(sizes.hotCommands, () => `hot-${inFlight}`),
    })),
  ];
  for (const run of runs) {
    const sku = (i: number) => run.receipts[i]!.sku;
    const baseline = plainCommands(
      context.plain,
      (i) => streamIdOf('stock', `plain-${sku(i)}`),
      run.receipts.map(receivedEvent),
    );
    const strataExecute = countingFailures((r: Receipt) =>
      strataHandler.execute({
        aggregate: 'stock',
        command: receiveStock(r.sku),
        commandId: r.commandId,
        context: { correlationId: r.correlationId, actor: 'bench', occurredAt: r.occurredAt },
      }),
    );
    const emmettExecute = countingFailures((r: Receipt) =>
      emmettHandler(r.sku, { ...receiveStock(r.sku), metadata: metadataOf(r) }),
    );
    // Sizes are multiples of IN_FLIGHT (main rounds them), so every client runs as many.
    const perClient = run.receipts.length / run.inFlight;
    const each = (execute: (r: Receipt) => Promise<void>) => (client: number, i: number) =>
      execute(run.receipts[client * perClient + i]!);
    const inFlight = (execute: (r: Receipt) => Promise<void>) =>
      runInFlight(run.inFlight, perClient, each(execute), sizes.phaseSeconds);
    const strataRun = await inFlight(strataExecute.operation);
    const emmettRun = await inFlight(emmettExecute.operation);
    recordSideBySide(context.report, {
      name: run.name,
      unit: 'commands/s',
      strata: { ...strataRun, failures: strataExecute.failures },
      emmett: { ...emmettRun, failures: emmettExecute.failures },
      baseline: baseline.perSecond,
      planned: run.receipts.length,
    });
  }
}

/** Strata's stock item decider in Emmett's hands; events get the metadata Strata's would. */
function stockDecider(upcasting: EventUpcasting): PeerDecider {
  const decider = aggregates.stock.decider;
  return {
    initialState: () => decider.initialState,
    // Emmett hands back the command it was given: one `receiveStock` made, with metadata.
    decide: (command, state) =>
      decider.decide(command as unknown as StockCommand, state as StockState).map((event) => ({
        type: event.type,
        data: event.data,
        metadata: { ...command.metadata, schemaVersion: upcasting.currentVersion(event.type) },
      })),
    evolve: (state, event) =>
      decider.evolve(state as StockState, event as Parameters<typeof decider.evolve>[1]),
  };
}

function receipts(count: number, skuOf: (i: number) => string): Receipt[] {
  const tag = newId().slice(-12);
  return Array.from({ length: count }, (_, i) => ({
    sku: `${skuOf(i)}-${tag}`,
    commandId: newId(),
    correlationId: newId(),
    occurredAt: new Date().toISOString(),
  }));
}

function receiveStock(sku: string): Extract<StockCommand, { type: 'ReceiveStock' }> {
  return { type: 'ReceiveStock', data: { sku, quantity: 1 } };
}

/** What Strata's handler writes into each event's metadata (`toNewEvents`). */
function metadataOf(r: Receipt): Omit<EventMetadata, 'schemaVersion'> {
  return {
    correlationId: r.correlationId,
    causationId: r.commandId,
    actor: 'bench',
    occurredAt: r.occurredAt,
  };
}

/** The event a receipt appends, as the baseline writes it. */
function receivedEvent(r: Receipt): NewEvent {
  return {
    eventId: r.commandId,
    type: 'StockReceived',
    data: { sku: r.sku, quantity: 1, reference: null },
    metadata: { ...metadataOf(r), schemaVersion: 1 },
  };
}
