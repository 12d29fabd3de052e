/**
 * The Node flags every Strata service process is started with: by `strata run` (so by `make run`
 * and the image's default command) and by the benchmarks and specs that start one as a child, so
 * they measure what ships. docker/Dockerfile's ENTRYPOINT repeats them for compose's services.
 *
 * `--max-semi-space-size=64` (MiB; V8's default is 16): a busy worker allocates hundreds of MB of
 * short-lived objects a second (decoded events, documents, states). In a 16 MiB young generation
 * they were collected every few milliseconds and the survivors copied each time: a tenth of the
 * worker's CPU at 500 orders/s, and growing with the hot states; at 64 MiB, about half of that
 * (bench/hot-aggregates, saga-latency). It reserves up to 128 MiB more for young objects.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = [
  '--enable-source-maps',
  '--max-semi-space-size=64',
];
