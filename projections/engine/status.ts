import type { Position } from '../../shared-kernel/events/envelope';

export type ProcessorState =
  | 'starting'
  | 'catching-up'
  | 'caught-up'
  | 'retrying'
  | 'rebuilding'
  | 'failed'
  | 'stopped'
  /** Another worker owns it (or nobody yet): this worker runs it only once it takes the lease. */
  | 'standby';

/** The processor's lease as the reporting worker last saw it. */
export interface LeaseStatus {
  /** The worker holding it; null when it was released and nobody took it yet. */
  owner: string | null;
  /** Fencing token: raised on every change of owner. */
  token: number;
  acquiredAt: string;
  renewedAt: string;
  expiresAt: string;
  /** Seconds since the owner last renewed it (beyond the lease time: the owner is gone). */
  ageSeconds: number;
}

/** What `strata projections status` and `/readyz` show of one processor. */
export interface ProcessorStatus {
  name: string;
  state: ProcessorState;
  checkpoint: Position | null;
  head: Position | null;
  /** Events between checkpoint and head, when the store can count them. */
  lagEvents: number | null;
  /** Age of the oldest event not yet processed; 0 when caught up. */
  lagSeconds: number;
  parkedStreams: number;
  eventsProcessed: number;
  lastBatchMs: number | null;
  lastError: { message: string; at: string } | null;
  /** Last time the processor loop showed life; a stale heartbeat means a hung processor. */
  heartbeatAt: string;
  /** Null when no worker ever took its lease. */
  lease: LeaseStatus | null;
}

export function initialStatus(name: string, now: Date): ProcessorStatus {
  return {
    name,
    state: 'starting',
    checkpoint: null,
    head: null,
    lagEvents: null,
    lagSeconds: 0,
    parkedStreams: 0,
    eventsProcessed: 0,
    lastBatchMs: null,
    lastError: null,
    heartbeatAt: now.toISOString(),
    lease: null,
  };
}

/** Pending work older than this turns a caught-up processor back into a catching-up one. */
const BEHIND_AFTER_SECONDS = 1;

/**
 * The state as the lag just measured tells it. The subscription reports caught-up once, when it
 * first reaches the head; a processor whose own batches then fall behind (the saga, whose
 * commands append while it works) is catching up again until nothing is pending.
 */
export function stateForLag(status: ProcessorStatus): ProcessorState {
  if (status.state === 'caught-up' && status.lagSeconds >= BEHIND_AFTER_SECONDS) {
    return 'catching-up';
  }
  const nothingPending =
    status.lagEvents === 0 || (status.lagEvents === null && status.lagSeconds === 0);
  if (status.state === 'catching-up' && nothingPending) return 'caught-up';
  return status.state;
}

/** Transient failures (a store or broker unreachable, a busy or full disk) are retried forever. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'UnavailableError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN)/.test(code)) {
    return true;
  }
  return /Network|Connection|Timeout|NoLivingConnections|ServerSelection/.test(error.name);
}
