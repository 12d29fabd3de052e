import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { openSqliteEventStore } from '../../shared-kernel/event-store/sqlite';
import { startChildService, type ChildService } from '../support/child-service';
import { createLatencyRecorder, type LatencySummary } from '../support/measure';
import { record } from '../support/report';
import {
  COMMAND_API_SCRIPT,
  PLAIN_SERVER_SCRIPT,
  commandApiEnv,
  type HotAggregatesContext,
  type HotAggregatesPhase,
} from './bench-context';
import { timedRequest } from './http-client';
import { residentMemoryMb } from './process-memory';
import { fillStockHistory } from './stock-history';

interface SizeResult {
  events: number;
  latency: LatencySummary;
  failed: number;
  baseline: LatencySummary;
  peakRssMb: number | null;
  /** CPU the API process spent per measured command: steadier than latency on a busy box. */
  cpuMicrosEach: number | null;
  baselineCpuMicrosEach: number | null;
}

/**
 * Command latency on one stock item by the length of its history: a fresh command API process
 * per size, `warmup` requests (the first may fold the whole stream), then `requests` adjustments
 * one after another (or as many as fit in `seconds-per-size`), through HTTP; then the same
 * requests against the plain read+insert server on the same file.
 */
export const historyLatencyPhase: HotAggregatesPhase = {
  name: 'history',
  title: 'command latency by history length',
  async run(context) {
    const { options } = context;
    const sizes = options.integers('sizes', [10, 10_000, 100_000, 1_000_000]);
    const results: SizeResult[] = [];
    for (const events of sizes) {
      const sku = `HOT-${events}`;
      const store = openSqliteEventStore({ dataDir: context.dataDir });
      const filling = performance.now();
      await fillStockHistory(store, sku, events);
      await store.close();
      const fillSeconds = (performance.now() - filling) / 1000;
      process.stdout.write(`  ${sku}: ${events} events appended in ${fillSeconds.toFixed(1)} s\n`);
      results.push(await measureSize(context, sku, events));
    }
    report(context, results);
  },
};

async function measureSize(
  context: HotAggregatesContext,
  sku: string,
  events: number,
): Promise<SizeResult> {
  const { options } = context;
  const warmup = options.integer('warmup', 5);
  const requests = options.integer('requests', 300);
  const seconds = options.integer('seconds-per-size', 60);
  const timeoutMs = options.integer('request-timeout-ms', 120_000);
  const body = { quantity: 1, reason: 'recount' };
  const adjust = { method: 'POST' as const, path: `/inventory/${sku}/adjustments`, body };
  const run = async (service: ChildService) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const latency = createLatencyRecorder(requests);
    let failed = 0;
    let cpuBefore: number | null;
    try {
      for (let i = 0; i < warmup; i += 1) {
        await timedRequest(agent, service.port, { ...adjust, timeoutMs });
      }
      cpuBefore = service.cpuSeconds();
      const deadline = performance.now() + seconds * 1000;
      for (let i = 0; i < requests && performance.now() < deadline; i += 1) {
        const answer = await timedRequest(agent, service.port, { ...adjust, timeoutMs });
        latency.record(answer.ms);
        if (answer.status < 200 || answer.status > 299) failed += 1;
      }
    } finally {
      agent.destroy();
    }
    const cpuAfter = service.cpuSeconds();
    const { count } = latency.summary();
    const cpuMicrosEach =
      cpuBefore === null || cpuAfter === null || count === 0
        ? null
        : ((cpuAfter - cpuBefore) * 1e6) / count;
    return { latency: latency.summary(), failed, cpuMicrosEach };
  };
  const api = await startChildService(COMMAND_API_SCRIPT, commandApiEnv(context.dataDir));
  const measured = await run(api);
  const memory = residentMemoryMb(api.child.pid);
  await api.stop();
  const plain = await startChildService(PLAIN_SERVER_SCRIPT, { BENCH_DATA_DIR: context.dataDir });
  const baseline = await run(plain);
  await plain.stop();
  process.stdout.write(
    `  ${sku}: ${measured.latency.count} commands, p50 ${measured.latency.p50.toFixed(1)} ms, ` +
      `p99 ${measured.latency.p99.toFixed(1)} ms, ${measured.failed} outside 2xx\n`,
  );
  return {
    events,
    ...measured,
    baseline: baseline.latency,
    baselineCpuMicrosEach: baseline.cpuMicrosEach,
    peakRssMb: memory?.peak ?? null,
  };
}

function report(context: HotAggregatesContext, results: SizeResult[]): void {
  const { report } = context;
  const smallest = results[0];
  if (!smallest) return;
  for (const result of results) {
    const at = `${result.events.toLocaleString('en-US')} events in the stream`;
    record(report, {
      name: `adjustment p50, ${at}`,
      value: result.latency.p50,
      unit: 'ms',
      baseline: result.baseline.p50,
    });
    record(report, {
      name: `adjustment p99, ${at}`,
      value: result.latency.p99,
      unit: 'ms',
      baseline: result.baseline.p99,
    });
    if (result !== smallest) {
      record(report, {
        name: `p50 ratio to ${smallest.events} events, ${at}`,
        value: result.latency.p50 / smallest.latency.p50,
        unit: 'x',
        goal: { atMost: 1.5 },
      });
      record(report, {
        name: `p99 ratio to ${smallest.events} events, ${at}`,
        value: result.latency.p99 / smallest.latency.p99,
        unit: 'x',
      });
    }
    if (result.cpuMicrosEach !== null) {
      record(report, {
        name: `command API CPU per adjustment, ${at}`,
        value: result.cpuMicrosEach,
        unit: 'us',
        baseline: result.baselineCpuMicrosEach,
      });
      if (result !== smallest && smallest.cpuMicrosEach) {
        record(report, {
          name: `CPU ratio to ${smallest.events} events, ${at}`,
          value: result.cpuMicrosEach / smallest.cpuMicrosEach,
          unit: 'x',
          goal: { atMost: 1.5 },
        });
      }
    }
    record(report, {
      name: `adjustments answered outside 2xx, ${at}`,
      value: result.failed,
      unit: 'requests',
      goal: { atMost: 0 },
    });
    if (result.peakRssMb !== null) {
      record(report, { name: `command API peak RSS, ${at}`, value: result.peakRssMb, unit: 'MB' });
    }
  }
  const largest = results[results.length - 1]!;
  if (largest !== smallest && largest.peakRssMb !== null && smallest.peakRssMb !== null) {
    record(report, {
      name: `command API peak RSS growth, ${smallest.events} -> ${largest.events} events`,
      value: largest.peakRssMb - smallest.peakRssMb,
      unit: 'MB',
      goal: { atMost: 64 },
    });
  }
}
