import path from 'node:path';
import { startChildService, type ChildService } from '../../../bench/support/child-service';
import { embeddedWorkerEnv } from '../../support/worker-process';

/** The compiled composition roots, found from this file's compiled place (dist/ or a build dir). */
const ROOT = path.join(__dirname, '..', '..', '..');
export const COMMAND_API_MAIN = path.join(ROOT, 'write-side', 'main.js');
export const QUERY_API_MAIN = path.join(ROOT, 'read-side', 'main.js');
export const STRATA_CLI = path.join(ROOT, 'projections', 'cli', 'main.js');

/**
 * The environment of a Strata process on the embedded stores in `dataDir`, on free ports,
 * whatever server URLs the surrounding environment sets (`make test-stack` sets them all).
 * `extra` adds or overrides, such as REDIS_URL.
 */
export function embeddedEnv(dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return embeddedWorkerEnv(dataDir, {
    STRATA_COMMAND_PORT: '0',
    STRATA_QUERY_PORT: '0',
    REDIS_URL: undefined,
    // Thousands of requests from one address are the point here, not abuse to be limited.
    STRATA_RATE_LIMIT_PER_MINUTE: '0',
    ...extra,
  });
}

/** An HTTP service child (command or query API) and its base URL. */
export interface HttpService extends ChildService {
  readonly url: string;
}

async function startHttpService(main: string, env: NodeJS.ProcessEnv): Promise<HttpService> {
  const service = await startChildService(main, env);
  // If the test process dies first, the child must not outlive it.
  const killOnExit = () => service.child.kill('SIGKILL');
  process.once('exit', killOnExit);
  service.child.once('exit', () => process.removeListener('exit', killOnExit));
  return Object.assign(service, { url: `http://127.0.0.1:${service.port}` });
}

export const startCommandApi = (env: NodeJS.ProcessEnv) => startHttpService(COMMAND_API_MAIN, env);
export const startQueryApi = (env: NodeJS.ProcessEnv) => startHttpService(QUERY_API_MAIN, env);
