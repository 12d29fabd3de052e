import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { cpuMicrosEach, type ChildService } from '../support/child-service';
import { createLatencyRecorder } from '../support/measure';

export function get(agent: http.Agent, port: number, url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: url, agent }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', () => resolve(0));
  });
}

/**
 * Closed loop: `clients` keep-alive connections, each asking again as soon as answered. The
 * server's CPU per request is the steadier figure on a shared machine.
 */
export async function closedLoop(
  server: Pick<ChildService, 'port' | 'cpuSeconds'>,
  seconds: number,
  clients: number,
  next: (n: number) => string,
) {
  const { port } = server;
  const cpuBefore = server.cpuSeconds();
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latency = createLatencyRecorder(1 << 16);
  const deadline = performance.now() + seconds * 1000;
  let requests = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const status = await get(agent, port, next(requests++));
        latency.record(performance.now() - started);
        if (status !== 200) failures++;
      }
    }),
  );
  agent.destroy();
  const cpuMicros = cpuMicrosEach(cpuBefore, server.cpuSeconds(), requests);
  return { perSecond: requests / seconds, failures, latency: latency.summary(), cpuMicros };
}

/** Open loop at a fixed rate, so latency is measured without the load adapting to it. */
export async function fixedRate(
  port: number,
  rate: number,
  seconds: number,
  next: (n: number) => string,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latency = createLatencyRecorder(1 << 14);
  const total = rate * seconds;
  const start = performance.now();
  let failures = 0;
  const pending: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      get(agent, port, next(n)).then((status) => {
        latency.record(performance.now() - due);
        if (status !== 200) failures++;
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return { failures, latency: latency.summary() };
}
