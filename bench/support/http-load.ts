import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createLatencyRecorder, type LatencySummary } from './measure';

export interface HttpRequestSpec {
  method: 'POST' | 'PATCH';
  path: string;
  body: unknown;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  /** Answers outside 2xx (and transport errors), by status; 0 = transport error. */
  failures: Record<number, number>;
  latency: LatencySummary;
}

/**
 * Closed-loop HTTP load for a fixed time: `clients` keep-alive connections, each sending the
 * next request as soon as the previous answer arrived. Latency is measured per request from
 * write to the end of the answer.
 */
export async function runHttpLoad(options: {
  port: number;
  clients: number;
  seconds: number;
  next: (client: number) => HttpRequestSpec;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const latency = createLatencyRecorder(64 * 1024);
  const failures: Record<number, number> = {};
  const deadline = performance.now() + options.seconds * 1000;
  let requests = 0;
  const client = async (id: number) => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const status = await send(agent, options.port, options.next(id));
      latency.record(performance.now() - started);
      requests += 1;
      if (status < 200 || status > 299) failures[status] = (failures[status] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.clients }, (_, id) => client(id)));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests, perSecond: requests / seconds, failures, latency: latency.summary() };
}

function send(agent: http.Agent, port: number, spec: HttpRequestSpec): Promise<number> {
  const payload = Buffer.from(JSON.stringify(spec.body));
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: spec.method,
        path: spec.path,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.once('error', () => resolve(0));
      },
    );
    request.once('error', () => resolve(0));
    request.end(payload);
  });
}
