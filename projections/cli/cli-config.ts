import { readConfig, urlVar, type ConfigOf, type Env } from '../../shared-kernel/config/env';
import { workerConfig } from '../config';

/**
 * The CLI reads the worker's own variables (same data dir, same stores, same batch size) so it
 * always operates on what the worker operates on, plus where to reach a running worker.
 */
export const cliConfigSpec = {
  ...workerConfig,
  workerUrl: urlVar('STRATA_WORKER_URL', ['http:', 'https:']),
};

export type CliConfig = ConfigOf<typeof cliConfigSpec> & { workerBaseUrl: string };

export function readCliConfig(env: Env): CliConfig {
  const config = readConfig(env, cliConfigSpec);
  // Without STRATA_WORKER_URL, the worker is where STRATA_WORKER_PORT puts it on this host.
  const workerBaseUrl = (config.workerUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
  return { ...config, workerBaseUrl };
}
