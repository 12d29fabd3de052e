import { expect } from 'chai';
import { parseExposition } from '../../shared-kernel/metrics/scrape.fixtures';

export interface Answer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  body: unknown;
  /** The body as sent, to check what it must not contain. */
  raw: string;
  problem: { type?: string; title?: string; detail?: string } | null;
  ms: number;
}

export async function answer(
  url: string,
  init: { method?: string; body?: object } = {},
): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    ...(init.body && {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(init.body),
    }),
  });
  const raw = await response.text();
  const ms = performance.now() - started;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = raw;
  }
  const contentType = response.headers.get('content-type');
  return {
    status: response.status,
    contentType,
    retryAfter: response.headers.get('retry-after'),
    body,
    raw,
    problem: contentType?.startsWith('application/problem+json')
      ? (body as Answer['problem'])
      : null,
    ms,
  };
}

export interface BreakerView {
  readyz: Answer;
  /**
   * The breaker's state in `/readyz`: its `breakers` detail when ready, else what the 503 names
   * (`; breakers: search-index open (...)`; a breaker it does not name is closed).
   */
  state: string;
  lastFailure: string | null;
  /** `strata_circuit_breaker_state` on `/metrics`: 0 closed, 1 half-open, 2 open. */
  gauge: number | undefined;
  /** `strata_circuit_breaker_rejected_calls_total`: calls failed fast. */
  rejected: number;
}

/**
 * A breaker's figures on `/metrics` only: `/readyz` pings the stores, which goes through the
 * breaker (and may be its trial).
 */
export async function metricsOnly(
  base: string,
  dependency: string,
): Promise<Pick<BreakerView, 'gauge' | 'rejected'>> {
  const metrics = parseExposition(await (await fetch(`${base}/metrics`)).text());
  return {
    gauge: metrics.value('strata_circuit_breaker_state', { dependency }),
    rejected: metrics.value('strata_circuit_breaker_rejected_calls_total', { dependency }) ?? 0,
  };
}

/** A breaker as a process shows it: its `/readyz` answer and its metrics. */
export async function breakerOf(base: string, dependency: string): Promise<BreakerView> {
  const readyz = await answer(`${base}/readyz`);
  let state = 'closed';
  let lastFailure: string | null = null;
  if (readyz.status === 200) {
    const body = readyz.body as { breakers?: Record<string, BreakerView> } | null;
    const detail = body?.breakers?.[dependency];
    expect(detail, `/readyz breakers.${dependency} in ${readyz.raw}`).to.not.equal(undefined);
    ({ state, lastFailure } = detail as BreakerView);
  } else {
    const named = new RegExp(`breakers: .*\\b${dependency} (open|half-open) \\((.*)\\)`).exec(
      readyz.problem?.detail ?? '',
    );
    if (named) [, state = 'closed', lastFailure = null] = named;
  }
  return { readyz, state, lastFailure, ...(await metricsOnly(base, dependency)) };
}

/** What a client must never see of a client library: its error names, codes and stacks. */
const CLIENT_INTERNALS =
  /grpc|UNAVAILABLE:|ECONNREFUSED|ConnectionError|TimeoutError|NoLivingConnections|node_modules|\bat \S+ \(/;

/**
 * `call` is failed by the open breaker of `dependency`: a 503 problem+json with Retry-After,
 * naming the dependency and nothing of its client, answered without reaching it.
 */
export async function expectFastCircuitOpen(
  call: () => Promise<Answer>,
  dependency: string,
): Promise<Answer> {
  const fast = await call();
  expect(fast.status, fast.raw).to.equal(503);
  expect(fast.contentType).to.match(/^application\/problem\+json/);
  expect(fast.problem?.detail).to.match(
    new RegExp(`^${dependency} is unavailable: its circuit breaker is open`),
  );
  expect(fast.retryAfter, 'Retry-After').to.match(/^\d+$/);
  expect(fast.raw, `client internals in ${fast.raw}`).to.not.match(CLIENT_INTERNALS);
  // A loaded machine's room; the client's own bounds are seconds.
  expect(fast.ms, 'answered fast (ms)').to.be.below(500);
  return fast;
}
