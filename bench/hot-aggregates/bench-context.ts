import path from 'node:path';
import type { benchOptions } from '../support/options';
import type { Report } from '../support/report';

/** What every phase of the hot-aggregates benchmark gets: one report and one data directory. */
export interface HotAggregatesContext {
  report: Report;
  /** The embedded stores' directory, shared by the phases (each uses its own streams). */
  dataDir: string;
  options: ReturnType<typeof benchOptions>;
}

export interface HotAggregatesPhase {
  /** Short name, for `--phases=history,writers`. */
  name: string;
  title: string;
  run(context: HotAggregatesContext): Promise<void>;
}

export const COMMAND_API_SCRIPT = path.join(__dirname, '..', '..', 'write-side', 'main.js');
export const PLAIN_SERVER_SCRIPT = path.join(__dirname, 'plain-read-insert-server.js');

/** The command API as a user runs it, on the benchmark's data directory. */
export function commandApiEnv(dataDir: string): Record<string, string> {
  return {
    STRATA_DATA_DIR: dataDir,
    STRATA_COMMAND_PORT: '0',
    // One load generator is one caller: the per-caller rate limit would measure itself.
    STRATA_RATE_LIMIT_PER_MINUTE: '0',
    // Before the fold was linear a command on a long stream took minutes; let it finish.
    STRATA_REQUEST_TIMEOUT_MS: '600000',
    LOG_LEVEL: 'info',
    STRATA_LOG_FORMAT: 'json',
  };
}
