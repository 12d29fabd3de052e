import type { Position } from '../../shared-kernel/events/envelope';
import { loadDeadLetters } from '../engine/dead-letter-store';
import { DEAD_LETTERS } from '../engine/dead-letters';
import { lagBehind } from '../engine/lag';
import { stateForLag, type ProcessorState, type ProcessorStatus } from '../engine/status';
import type { CliContext } from './cli-context';
import type { CatalogueEntry, ProcessorKind } from './processor-catalogue';

/** One row of `strata projections status`, from the running worker or from the stores. */
export interface CliProcessorStatus {
  name: string;
  kind: ProcessorKind;
  state: ProcessorState | 'not running';
  checkpoint: Position | null;
  head: Position | null;
  lagEvents: number | null;
  lagSeconds: number | null;
  parkedStreams: number;
  lastError: { message: string; at: string } | null;
  /** `worker`: live figures from its /status; `stores`: what the stores tell, nothing running. */
  source: 'worker' | 'stores';
}

/**
 * The worker's `/status`, or null when no worker answers in time. A short timeout: an operator
 * asking for status must not wait on a dead host, the stores can answer instead.
 */
export async function fetchWorkerStatuses(
  baseUrl: string,
  timeoutMs: number,
): Promise<ProcessorStatus[] | null> {
  try {
    const response = await fetch(`${baseUrl}/status`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    const body = (await response.json()) as { processors?: unknown };
    return Array.isArray(body.processors) ? (body.processors as ProcessorStatus[]) : null;
  } catch {
    return null;
  }
}

/**
 * A row from the worker's figures, its lag measured again against the report's one head (read
 * after the worker answered, so no checkpoint it reported is above it).
 */
export async function fromWorker(
  { eventStore }: CliContext,
  entry: CatalogueEntry,
  status: ProcessorStatus,
  head: Position | null,
  now: Date,
): Promise<CliProcessorStatus> {
  const lag = await lagBehind(eventStore, status.checkpoint, head, now);
  return {
    name: entry.name,
    kind: entry.kind,
    state: stateForLag({ ...status, ...lag }),
    checkpoint: status.checkpoint,
    head,
    ...lag,
    parkedStreams: status.parkedStreams,
    lastError: status.lastError,
    source: 'worker',
  };
}

/**
 * What the stores tell with no worker running: the committed checkpoint (read before the head), the
 * events between, how old the first unprocessed event is, and the parked streams (whose newest
 * error is the last one the processor recorded).
 */
export async function fromStores(
  context: CliContext,
  entry: CatalogueEntry,
  checkpoint: Position | null,
  head: Position | null,
  now: Date,
): Promise<CliProcessorStatus> {
  const { store, eventStore } = context;
  await store.ensureCollection(DEAD_LETTERS);
  const letters = await loadDeadLetters(store, entry.name);
  const newest = letters.reduce<(typeof letters)[number] | null>(
    (latest, letter) => (latest === null || letter.parkedAt > latest.parkedAt ? letter : latest),
    null,
  );
  return {
    name: entry.name,
    kind: entry.kind,
    state: 'not running',
    checkpoint,
    head,
    ...(await lagBehind(eventStore, checkpoint, head, now)),
    parkedStreams: letters.length,
    lastError: newest ? { message: newest.error, at: newest.parkedAt } : null,
    source: 'stores',
  };
}
