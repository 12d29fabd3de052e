import path from 'node:path';

/** Every Strata process maps stack traces back to the TypeScript sources. */
const SOURCE_MAPS = '--enable-source-maps';

/**
 * The worker's flags. `--max-semi-space-size=64` (MiB; V8's default is 16): a busy worker
 * allocates hundreds of MB of short-lived objects a second (decoded events, documents, states).
 * In a 16 MiB young generation they were collected every few milliseconds and the survivors
 * copied each time: a tenth of the worker's CPU at 500 orders/s, and growing with the hot states;
 * at 64 MiB, about half of that (bench/hot-aggregates, saga-latency). The APIs keep the default:
 * their garbage is a request's, and a young generation that large only grew their peak memory
 * (a command on a cold 1,000,000-event stream: +112 MB).
 */
export const WORKER_NODE_FLAGS: readonly string[] = [SOURCE_MAPS, '--max-semi-space-size=64'];

/**
 * The Node flags a Strata process starts with, by its compiled entry point: used by `strata run`
 * (so by `make run` and the image's default command) and by the benchmarks and specs that start
 * one as a child, so they measure what ships. docker/Dockerfile's ENTRYPOINT and the worker's
 * command in docker/docker-compose.yml say the same (node-flags.unit.spec.ts checks them).
 */
export function nodeFlagsFor(entryPoint: string): readonly string[] {
  const worker = entryPoint.endsWith(path.join('projections', 'main.js'));
  return worker ? WORKER_NODE_FLAGS : [SOURCE_MAPS];
}
