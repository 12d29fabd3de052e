import { cacheConfig } from '../shared-kernel/cache/open';
import { commonConfig } from '../shared-kernel/config/common';
import { integerVar, portVar } from '../shared-kernel/config/env';
import { eventStoreConfig } from '../shared-kernel/event-store/open';
import { accessConfig } from '../shared-kernel/http/auth/access';

/** What every process running the command handler reads (the command API, the worker's saga). */
export const commandHandlingConfig = {
  /** A stream's state is stored as a snapshot every this many events; 0 turns snapshots off. */
  snapshotEvery: integerVar('STRATA_SNAPSHOT_EVERY', 100, { min: 0, max: 1_000_000 }),
};

/** Everything the command API process reads from its environment, read once in main.ts. */
export const commandApiConfig = {
  ...commonConfig,
  ...accessConfig,
  ...eventStoreConfig,
  ...cacheConfig,
  ...commandHandlingConfig,
  port: portVar('STRATA_COMMAND_PORT', 3000),
  bodyLimitBytes: integerVar('STRATA_BODY_LIMIT_BYTES', 65_536, { min: 1_024, max: 10_485_760 }),
};
