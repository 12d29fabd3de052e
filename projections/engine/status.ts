import type { Position } from '../../shared-kernel/events/envelope';

export type ProcessorState =
  'starting' | 'catching-up' | 'caught-up' | 'retrying' | 'rebuilding' | 'failed' | 'stopped';

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
  };
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
