import type { Lease } from '../../shared-kernel/document-store/port';
import type { Position } from '../../shared-kernel/events/envelope';
import { loadDeadLetters } from '../engine/dead-letter-store';
import { DEAD_LETTERS } from '../engine/dead-letters';
import type { ProcessorState, ProcessorStatus } from '../engine/status';
import type { CliContext } from './cli-context';
import type { CatalogueEntry, ProcessorKind } from './processor-catalogue';

/** One row of `strata projections status`, from the running worker or from the stores. */
export interface CliProcessorStatus {
  name: string;
  kind: ProcessorKind;
  /** `running elsewhere`: no figures from its owner here, but its lease is held and live. */
  state: ProcessorState | 'not running' | 'running elsewhere';
  checkpoint: Position | null;
  head: Position | null;
  lagEvents: number | null;
  lagSeconds: number | null;
  parkedStreams: number;
  lastError: { message: string; at: string } | null;
  /** The worker holding its lease (null: released or never taken), from the stores. */
  owner: string | null;
  leaseToken: number | null;
  /** Seconds since the owner last renewed the lease; past the lease time the owner is gone. */
  leaseAgeSeconds: number | null;
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

type LeaseColumns = Pick<CliProcessorStatus, 'owner' | 'leaseToken' | 'leaseAgeSeconds'>;

/** The lease columns of a row, from the lease as stored (whichever worker answered). */
export function leaseColumns(lease: Lease | undefined, now: Date): LeaseColumns {
  if (!lease) return { owner: null, leaseToken: null, leaseAgeSeconds: null };
  const age = Math.max(0, (now.getTime() - Date.parse(lease.renewedAt)) / 1000);
  return { owner: lease.owner, leaseToken: lease.token, leaseAgeSeconds: age };
}

const isLive = (lease: Lease | undefined, now: Date) =>
  lease !== undefined && lease.owner !== null && Date.parse(lease.expiresAt) > now.getTime();

export function fromWorker(
  entry: CatalogueEntry,
  status: ProcessorStatus,
  lease: LeaseColumns,
): CliProcessorStatus {
  return {
    ...lease,
    name: entry.name,
    kind: entry.kind,
    state: status.state,
    checkpoint: status.checkpoint,
    head: status.head,
    lagEvents: status.lagEvents,
    lagSeconds: status.lagSeconds,
    parkedStreams: status.parkedStreams,
    lastError: status.lastError,
    source: 'worker',
  };
}

/**
 * What the stores tell when the worker asked does not run the processor (none answers, or
 * another worker owns it): the committed checkpoint, the log's head, the
 * events between, how old the first unprocessed event is, and the parked streams (whose newest
 * error is the last one the processor recorded).
 */
export async function fromStores(
  context: CliContext,
  entry: CatalogueEntry,
  head: Position | null,
  now: Date,
  lease: Lease | undefined,
): Promise<CliProcessorStatus> {
  const { store, eventStore } = context;
  const checkpoint = await store.getCheckpoint(entry.name);
  await store.ensureCollection(DEAD_LETTERS);
  const letters = await loadDeadLetters(store, entry.name);
  const newest = letters.reduce<(typeof letters)[number] | null>(
    (latest, letter) => (latest === null || letter.parkedAt > latest.parkedAt ? letter : latest),
    null,
  );
  let lagSeconds = 0;
  for await (const next of eventStore.readAll({ after: checkpoint, maxCount: 1 })) {
    lagSeconds = Math.max(0, (now.getTime() - Date.parse(next.recordedAt)) / 1000);
  }
  return {
    name: entry.name,
    kind: entry.kind,
    state: isLive(lease, now) ? 'running elsewhere' : 'not running',
    ...leaseColumns(lease, now),
    checkpoint,
    head,
    lagEvents: eventStore.eventsBetween ? eventStore.eventsBetween(checkpoint, head) : null,
    lagSeconds,
    parkedStreams: letters.length,
    lastError: newest ? { message: newest.error, at: newest.parkedAt } : null,
    source: 'stores',
  };
}
