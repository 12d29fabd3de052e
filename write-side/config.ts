import { commonConfig } from '../shared-kernel/config/common';
import { integerVar, portVar, urlVar } from '../shared-kernel/config/env';
import { accessConfig } from '../shared-kernel/http/auth/access';

/** Everything the command API process reads from its environment, read once in main.ts. */
export const commandApiConfig = {
  ...commonConfig,
  ...accessConfig,
  port: portVar('STRATA_COMMAND_PORT', 3000),
  esdbUrl: urlVar('ESDB_URL', ['esdb:', 'esdb+discover:']),
  redisUrl: urlVar('REDIS_URL', ['redis:', 'rediss:']),
  bodyLimitBytes: integerVar('STRATA_BODY_LIMIT_BYTES', 65_536, { min: 1_024, max: 10_485_760 }),
};
