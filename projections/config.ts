import { commonConfig } from '../shared-kernel/config/common';
import { integerVar, portVar } from '../shared-kernel/config/env';
import { documentStoreConfig } from '../shared-kernel/document-store/open';
import { eventStoreConfig } from '../shared-kernel/event-store/open';
import { integrationConfig } from '../shared-kernel/integration/open';
import { searchIndexConfig } from '../shared-kernel/search-index/open';
import { commandHandlingConfig } from '../write-side/config';

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
};
