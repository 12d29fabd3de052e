import { commonConfig } from '../shared-kernel/config/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { integerVar, portVar, type EnvVar } from '../shared-kernel/config/env';
import { ConfigError } from '../shared-kernel/errors';
import { documentStoreConfig } from '../shared-kernel/document-store/open';
import { eventStoreConfig } from '../shared-kernel/event-store/open';
import { integrationConfig } from '../shared-kernel/integration/open';
import { searchIndexConfig } from '../shared-kernel/search-index/open';
import { commandHandlingConfig } from '../write-side/config';
import { partitionsVar } from './engine/partitions';

/** Everything the projection worker reads from its environment, read once in main.ts. */
export const workerConfig = {
  ...commonConfig,
  ...documentStoreConfig,
  ...searchIndexConfig,
  ...integrationConfig,
  ...eventStoreConfig,
  ...commandHandlingConfig,
  port: portVar('STRATA_WORKER_PORT', 3002),
  batchSize: integerVar('STRATA_PROJECTION_BATCH_SIZE', 1000, { min: 1, max: 20_000 }),
  batchWaitMs: integerVar('STRATA_PROJECTION_BATCH_WAIT_MS', 5, { min: 0, max: 10_000 }),
  maxAttempts: integerVar('STRATA_PROJECTION_MAX_ATTEMPTS', 5, { min: 1, max: 100 }),
  heartbeatIntervalMs: integerVar('STRATA_HEARTBEAT_INTERVAL_MS', 1000, { min: 10, max: 60_000 }),
  /** `/readyz` fails when a processor's heartbeat is older than this. */
  readyHeartbeatMs: integerVar('STRATA_READY_HEARTBEAT_MS', 5000, { min: 100, max: 600_000 }),
  /** `/readyz` fails when a processor lags further behind than this. */
  readyMaxLagSeconds: integerVar('STRATA_READY_MAX_LAG_SECONDS', 30, { min: 1, max: 86_400 }),
  /** How long a processor's lease lasts unrenewed: a dead owner's processors move after this. */
  leaseTtlMs: integerVar('STRATA_LEASE_TTL_MS', 5000, { min: 100, max: 3_600_000 }),
  workerId: workerIdVar('STRATA_WORKER_ID'),
  /** Processors split into partitions, each run (and leased) on its own: `orders=4`. */
  partitions: partitionsVar('STRATA_PARTITIONS'),
};

const WORKER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Unset: a fresh id per process start (host, pid, random), unique without coordination. */
function workerIdVar(name: string): EnvVar<string | undefined> {
  return {
    name,
    expects: '1-64 letters, digits, ".", "_" or "-", unique among the workers',
    parse(raw) {
      if (raw !== undefined && !WORKER_ID.test(raw)) throw 'not a worker id';
      return raw;
    },
  };
}

export function defaultWorkerId(pid: number): string {
  const host =
    hostname()
      .replace(/[^A-Za-z0-9.-]/g, '-')
      .slice(0, 40) || 'worker';
  return `${host}-${pid}-${randomBytes(3).toString('hex')}`;
}

/** A lease must outlive a missed heartbeat, or a busy worker would lose it between two. */
export function checkLeaseTiming(config: { leaseTtlMs: number; heartbeatIntervalMs: number }) {
  if (config.leaseTtlMs < 2 * config.heartbeatIntervalMs) {
    throw new ConfigError(
      `invalid configuration:\n  STRATA_LEASE_TTL_MS: expected at least twice STRATA_HEARTBEAT_INTERVAL_MS (${config.heartbeatIntervalMs}), got ${config.leaseTtlMs}`,
    );
  }
}
