import { cacheConfig } from '../shared-kernel/cache/open';
import { commonConfig } from '../shared-kernel/config/common';
import { integerVar, portVar } from '../shared-kernel/config/env';
import { eventStoreConfig } from '../shared-kernel/event-store/open';
import { accessConfig } from '../shared-kernel/http/auth/access';

/** Everything the command API process reads from its environment, read once in main.ts. */
export const commandApiConfig = {
  ...commonConfig,
  ...accessConfig,
  ...eventStoreConfig,
  ...cacheConfig,
  port: portVar('STRATA_COMMAND_PORT', 3000),
  bodyLimitBytes: integerVar('STRATA_BODY_LIMIT_BYTES', 65_536, { min: 1_024, max: 10_485_760 }),
};
