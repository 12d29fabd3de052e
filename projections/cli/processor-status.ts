import type { Lease } from '../../shared-kernel/document-store/port';
import type { Position } from '../../shared-kernel/events/envelope';
import { loadDeadLetters } from '../engine/dead-letter-store';
import { DEAD_LETTERS } from '../engine/dead-letters';
import { lagBehind } from '../engine/lag';
import { sameStores, type StoreIdentity } from '../store-identity';
import { stateForLag, type ProcessorState, type ProcessorStatus } from '../engine/status';
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

export interface WorkerReport {
  /** The stores the worker says it serves; absent from a worker that does not say. */
  stores?: StoreIdentity;
  processors: ProcessorStatus[];
}

/**
 * The worker's `/status`, or null when no worker answers in time. A short timeout: an operator
 * asking for status must not wait on a dead host, the stores can answer instead.
 */
export async function fetchWorkerReport(
  baseUrl: string,
  timeoutMs: number,
): Promise<WorkerReport | null> {
  try {
    const response = await fetch(`${baseUrl}/status`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    const body = (await response.json()) as Partial<WorkerReport>;
    return Array.isArray(body.processors) ? { ...body, processors: body.processors } : null;
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

/**
 * Refuses a worker of other stores: its figures would be printed as this data's. The
 * identities name directories and servers, so the message says which variable to change.
 */
export function requireSameStores(
  report: WorkerReport,
  ours: StoreIdentity,
  workerUrl: string,
): void {
  if (report.stores && sameStores(report.stores, ours)) return;
  const theirs = report.stores
    ? `serves events ${report.stores.events} and read models ${report.stores.readModels}`
    : 'does not say which stores it serves';
  throw new Error(
    `the worker at ${workerUrl} ${theirs}, but this CLI works on events ${ours.events} and ` +
      `read models ${ours.readModels}: point STRATA_WORKER_URL at the worker of these stores, ` +
      `or STRATA_DATA_DIR (ESDB_URL, MONGO_URL) at that worker's`,
  );
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
  lease: LeaseColumns,
): Promise<CliProcessorStatus> {
  const lag = await lagBehind(eventStore, status.checkpoint, head, now);
  return {
    ...lease,
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
 * What the stores tell when the worker asked does not run the processor (none answers, or
 * another worker owns it): the committed checkpoint (read before the head), the
 * events between, how old the first unprocessed event is, and the parked streams (whose newest
 * error is the last one the processor recorded).
 */
export async function fromStores(
  context: CliContext,
  entry: CatalogueEntry,
  checkpoint: Position | null,
  head: Position | null,
  now: Date,
  lease: Lease | undefined,
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
    state: isLive(lease, now) ? 'running elsewhere' : 'not running',
    ...leaseColumns(lease, now),
    checkpoint,
    head,
    ...(await lagBehind(eventStore, checkpoint, head, now)),
    parkedStreams: letters.length,
    lastError: newest ? { message: newest.error, at: newest.parkedAt } : null,
    source: 'stores',
  };
}
