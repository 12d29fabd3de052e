import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  type CircuitBreakerPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import { UnavailableError } from '../errors';
import type { Logger } from '../logging/logger';
import { circuitBreakerMetrics, type BreakerState } from '../metrics/breaker-metrics';
import type { Registry } from '../metrics/registry';
import type { CircuitBreakerSettings } from './config';
import { isDependencyFailure } from './dependency-failure';
import { trialOrRejection } from './trial-wait';

export type { BreakerState } from '../metrics/breaker-metrics';

/** What `/readyz` shows of one breaker. */
export interface BreakerDetail {
  state: BreakerState;
  /** When it entered that state (ISO 8601). */
  since: string;
  /** The failure that opened it last, while it is not closed. */
  lastFailure: string | null;
}

export interface BreakerOptions {
  /** Which errors count against the dependency; `isDependencyFailure` when absent. */
  isFailure?: (error: unknown) => boolean;
  /**
   * A call still running after this long is abandoned (its caller gets an UnavailableError) and
   * counts as a failure. Only where abandoning is safe: a read, a cache call, a ping.
   */
  timeoutMs?: number;
  /**
   * A caller whose call is the half-open trial waits at most this long for it, then gets the
   * open breaker's fast rejection while the trial goes on and decides the breaker. Without it a
   * frozen dependency costs one caller the whole `timeoutMs` per open period. Only where
   * abandoning is safe, as for `timeoutMs`.
   */
  trialWaitMs?: number;
}

export interface CircuitBreaker {
  readonly dependency: string;
  state(): BreakerState;
  detail(): BreakerDetail;
  /**
   * Runs `call` (handing it an AbortSignal that fires on the timeout) unless the breaker is
   * open, or half-open with its one trial call in flight: then it rejects at once with an
   * UnavailableError whose `cause` is cockatiel's BrokenCircuitError (see `isCircuitOpen`).
   */
  call<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

export interface CircuitBreakers {
  /** The breaker of `dependency`, made on first use; one per dependency name. */
  breaker(dependency: string, options?: BreakerOptions): CircuitBreaker;
  /** Every breaker's detail by dependency, for `/readyz`. */
  detail(): Record<string, BreakerDetail>;
}

export interface CircuitBreakersDeps {
  settings: CircuitBreakerSettings;
  registry: Registry;
  logger: Logger;
}

/** True for the fast rejection of an open breaker (as opposed to a failure of the call). */
export function isCircuitOpen(error: unknown): boolean {
  return error instanceof UnavailableError && error.cause instanceof BrokenCircuitError;
}

/**
 * A process's circuit breakers, one per remote dependency, on cockatiel's consecutive-failure
 * breaker: `breakerFailures` failures in a row open it, it fails calls fast for `breakerOpenMs`,
 * then lets one trial call through, which closes it or opens it again.
 */
export function createCircuitBreakers(deps: CircuitBreakersDeps): CircuitBreakers {
  const breakers = new Map<string, CircuitBreaker>();
  const observer = circuitBreakerMetrics(deps.registry, () =>
    [...breakers.values()].map((b) => ({ dependency: b.dependency, state: b.state() })),
  );
  const make = (dependency: string, options: BreakerOptions): CircuitBreaker => {
    const { breakerFailures, breakerOpenMs } = deps.settings;
    const isFailure = options.isFailure ?? isDependencyFailure;
    const policy: CircuitBreakerPolicy = circuitBreaker(
      handleWhen((error) => isFailure(error)),
      { halfOpenAfter: breakerOpenMs, breaker: new ConsecutiveBreaker(breakerFailures) },
    );
    const limit: TimeoutPolicy | null =
      options.timeoutMs === undefined
        ? null
        : timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
    let since = Date.now();
    let lastFailure: string | null = null;
    const logger = deps.logger.child({ dependency });
    policy.onBreak((reason) => {
      lastFailure = 'error' in reason ? String(reason.error) : 'isolated';
    });
    policy.onStateChange((next) => {
      since = Date.now();
      if (next === CircuitState.Open) {
        logger.warn('circuit breaker opened: calls fail fast', {
          error: lastFailure,
          openMs: breakerOpenMs,
        });
      } else if (next === CircuitState.Closed) {
        logger.info('circuit breaker closed: the trial call succeeded');
        lastFailure = null;
      }
    });
    const state = (): BreakerState => {
      switch (policy.state) {
        case CircuitState.Closed:
          return 'closed';
        case CircuitState.HalfOpen:
          return 'half-open';
        // cockatiel moves to half-open only when a call arrives; once the open time is over
        // the next call is a trial, so that is the state to show.
        case CircuitState.Open:
        case CircuitState.Isolated:
          return Date.now() - since >= breakerOpenMs ? 'half-open' : 'open';
      }
    };
    // What a caller (and an HTTP client) sees names the dependency only: the failure behind it
    // (a client's message, hosts, ports) is for operators, in /readyz and the log line.
    const rejection = (why = 'its circuit breaker is open') => {
      observer.rejected(dependency);
      const waitMs = Math.max(0, since + breakerOpenMs - Date.now());
      return new UnavailableError(
        `${dependency} is unavailable: ${why}`,
        Math.max(1, Math.ceil(waitMs / 1000)),
        { cause: new BrokenCircuitError() },
      );
    };
    const bounded = <T>(call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal) =>
      limit === null
        ? call(signal)
        : limit
            .execute((_context, inner) => call(inner), signal)
            .catch((error: unknown) => {
              if (!(error instanceof TaskCancelledError)) throw error;
              throw new UnavailableError(
                `${dependency} did not answer within ${options.timeoutMs} ms`,
                1,
                { cause: error },
              );
            });
    return {
      dependency,
      state,
      detail: () => ({ state: state(), since: new Date(since).toISOString(), lastFailure }),
      async call(call) {
        // cockatiel queues calls behind a trial; a frozen dependency would then hold them all
        // for the trial's timeout, so they fail fast instead.
        if (policy.state === CircuitState.HalfOpen) throw rejection();
        const isTrial = state() === 'half-open';
        const run = policy
          .execute(({ signal }) => bounded(call, signal))
          .catch((error: unknown) => {
            if (error instanceof BrokenCircuitError) throw rejection();
            throw error;
          });
        if (!isTrial || options.trialWaitMs === undefined) return run;
        return trialOrRejection(run, options.trialWaitMs, () =>
          rejection('its circuit breaker is half-open, the trial call under way'),
        );
      },
    };
  };
  return {
    breaker(dependency, options = {}) {
      let found = breakers.get(dependency);
      if (!found) {
        found = make(dependency, options);
        breakers.set(dependency, found);
      }
      return found;
    },
    detail: () => Object.fromEntries([...breakers.values()].map((b) => [b.dependency, b.detail()])),
  };
}
