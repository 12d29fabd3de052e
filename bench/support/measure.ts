import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** Latencies in milliseconds, summarised as percentiles (nearest-rank). */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Collects latency samples in a growable Float64Array: no per-sample allocation, so recording
 * does not disturb what is being measured.
 */
export function createLatencyRecorder(expected = 1024) {
  let samples = new Float64Array(Math.max(16, expected));
  let count = 0;
  return {
    record(milliseconds: number): void {
      if (count === samples.length) {
        const grown = new Float64Array(samples.length * 2);
        grown.set(samples);
        samples = grown;
      }
      samples[count++] = milliseconds;
    },
    summary(): LatencySummary {
      const sorted = samples.slice(0, count).sort();
      return {
        count,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: count === 0 ? 0 : sorted[count - 1]!,
      };
    },
  };
}

export type LatencyRecorder = ReturnType<typeof createLatencyRecorder>;

/** Nearest-rank percentile of an ascending array; 0 for an empty one. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Times `work`; returns its result and the elapsed seconds. */
export async function timed<T>(
  work: () => Promise<T> | T,
): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

/**
 * Peak resident memory while a phase runs. Samples on a timer AND whenever `sample()` is called,
 * because a loop over already-resolved promises never lets a timer fire.
 */
export function startMemorySampler(intervalMs = 50) {
  const startRss = process.memoryUsage.rss();
  let peakRss = startRss;
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    sample,
    stop(): { startRssMb: number; peakRssMb: number } {
      clearInterval(timer);
      sample();
      return { startRssMb: startRss / 2 ** 20, peakRssMb: peakRss / 2 ** 20 };
    },
  };
}

export type MemorySampler = ReturnType<typeof startMemorySampler>;

/**
 * Pulls every item of an (async) iterable, calling `every` each 4,096 items (to sample memory,
 * say) and returns how many there were and how many per second. `stop` ends early. A plain
 * iterable is looped synchronously: `for await` would add a promise per item and handicap it.
 */
export async function drain<T>(
  iterable: AsyncIterable<T> | Iterable<T>,
  every: () => void = () => {},
  stop: (item: T) => boolean = () => false,
): Promise<{ count: number; perSecond: number; cpuMicrosEach: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let count = 0;
  if (Symbol.iterator in iterable) {
    for (const item of iterable) {
      if (stop(item)) break;
      if ((++count & 4095) === 0) every();
    }
  } else {
    for await (const item of iterable) {
      if (stop(item)) break;
      if ((++count & 4095) === 0) every();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { count, perSecond: count / seconds, cpuMicrosEach: cpuMicros(cpu) / count };
}

/**
 * Median time of one 4 KiB overwrite + fdatasync in `dir`: the floor under any durable commit
 * on this disk, so a benchmark can say how far a figure is from what the hardware allows.
 */
export function fsyncLatencyMs(dir: string, rounds = 100): number {
  const file = path.join(dir, `.fsync-probe-${process.pid}`);
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < rounds; i += 1) {
      const started = performance.now();
      fs.writeSync(fd, block, 0, block.length, (i % 16) * block.length);
      fs.fdatasyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/**
 * Closed-loop load: `clients` callers, each issuing `perClient` operations one after another,
 * so exactly `clients` operations are in flight at any time. Returns operations per second and
 * the latency of each operation. `operation(client, i)` gets who calls and the call's number.
 * With `budgetSeconds`, a caller starts no operation after that long: a store that slows to a
 * crawl under the load then ends the run in bounded time, and `operations` says how many ran.
 */
export async function runInFlight(
  clients: number,
  perClient: number,
  operation: (client: number, i: number) => Promise<unknown>,
  budgetSeconds = Number.POSITIVE_INFINITY,
): Promise<{
  operations: number;
  perSecond: number;
  cpuMicrosEach: number;
  latency: LatencySummary;
}> {
  const latency = createLatencyRecorder(clients * perClient);
  const started = performance.now();
  const deadline = started + budgetSeconds * 1000;
  let operations = 0;
  const client = async (id: number) => {
    for (let i = 0; i < perClient && performance.now() < deadline; i += 1) {
      const begun = performance.now();
      await operation(id, i);
      latency.record(performance.now() - begun);
      operations += 1;
    }
  };
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: clients }, (_, id) => client(id)));
  const seconds = (performance.now() - started) / 1000;
  const cpuMicrosEach = cpuMicros(cpu) / Math.max(1, operations);
  return { operations, perSecond: operations / seconds, cpuMicrosEach, latency: latency.summary() };
}

/**
 * This process's CPU time (user + system) since `since`. On a shared, busy machine wall-clock
 * rates swing with the neighbours' load; CPU time per operation is the steadier cost figure.
 */
export function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}
