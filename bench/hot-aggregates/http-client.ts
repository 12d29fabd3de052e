import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface TimedAnswer {
  /** HTTP status; 0 for a transport error or a request that ran past its timeout. */
  status: number;
  ms: number;
}

/** One JSON request on a keep-alive agent, timed from write to the end of the answer. */
export function timedRequest(
  agent: http.Agent,
  port: number,
  request: { method: 'POST'; path: string; body: unknown; timeoutMs: number },
): Promise<TimedAnswer> {
  const payload = Buffer.from(JSON.stringify(request.body));
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number) => resolve({ status, ms: performance.now() - started });
    const outgoing = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: request.path,
        agent,
        timeout: request.timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (response) => {
        response.resume();
        response.once('end', () => done(response.statusCode ?? 0));
        response.once('error', () => done(0));
      },
    );
    outgoing.once('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.once('error', () => done(0));
    outgoing.end(payload);
  });
}
