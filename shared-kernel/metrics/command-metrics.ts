import type { RequestHandler } from 'express';
import { Counter, Gauge, type Registry } from 'prom-client';
import { ConflictError, StrataError, ValidationError } from '../errors';
import type { IdempotencyStore } from '../idempotency/port';

export type CommandOutcome = 'ok' | 'rejected' | 'invalid' | 'error';

/**
 * How a command ended: `rejected` is a business answer (a rule, a missing aggregate, a stale
 * If-Match) and names it in `rule`; `invalid` is a malformed command; `error` is our failure.
 */
export function commandOutcome(error: unknown): { outcome: CommandOutcome; rule: string } {
  if (error instanceof ValidationError) return { outcome: 'invalid', rule: '' };
  if (error instanceof ConflictError) return { outcome: 'rejected', rule: error.rule };
  if (error instanceof StrataError && error.status < 500) {
    return { outcome: 'rejected', rule: error.type };
  }
  return { outcome: 'error', rule: '' };
}

interface Counted {
  command: { type: string };
}

/**
 * Counts every command run through `run` by type and outcome (events: event-store-metrics.ts).
 * Wraps the dispatcher (or a handler's `execute`) so no command path can skip the count.
 */
export function countingCommands<R extends Counted, T>(
  run: (request: R) => Promise<T>,
  registry: Registry,
): (request: R) => Promise<T> {
  const commands = new Counter({
    name: 'strata_commands_total',
    help: 'Commands handled, by type and outcome (ok, rejected with its rule, invalid, error)',
    labelNames: ['command', 'outcome', 'rule'] as const,
    registers: [registry],
  });
  return async (request) => {
    const command = request.command.type;
    try {
      const result = await run(request);
      commands.inc({ command, outcome: 'ok', rule: '' });
      return result;
    } catch (error) {
      commands.inc({ command, ...commandOutcome(error) });
      throw error;
    }
  };
}

/**
 * Counts answers replayed from an idempotency record. The command route marks them with
 * `Idempotent-Replayed: true`, so counting here needs no hook inside the idempotency code.
 */
export function countingIdempotencyReplays(registry: Registry): RequestHandler {
  const replays = new Counter({
    name: 'strata_idempotency_replays_total',
    help: 'Command responses replayed for a repeated Idempotency-Key',
    registers: [registry],
  });
  return (_request, response, next) => {
    response.once('finish', () => {
      if (response.getHeader('idempotent-replayed') === 'true') replays.inc();
    });
    next();
  };
}

/**
 * The idempotency store's health as the command API sees it on every call: a failure counter
 * and an up gauge (0 after a failed call, 1 after a good one). Its outage does not make the
 * process unready (unkeyed commands work), so this is where an operator sees it.
 */
export function countingIdempotencyStore(
  store: IdempotencyStore,
  registry: Registry,
): IdempotencyStore {
  const failures = new Counter({
    name: 'strata_idempotency_store_failures_total',
    help: 'Idempotency store calls that failed (keyed commands answered 503 meanwhile)',
    registers: [registry],
  });
  const up = new Gauge({
    name: 'strata_idempotency_store_up',
    help: '1 when the last idempotency store call succeeded, 0 when it failed',
    registers: [registry],
  });
  up.set(1);
  const observed =
    <A extends unknown[], T>(call: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      try {
        const result = await call(...args);
        up.set(1);
        return result;
      } catch (error) {
        failures.inc();
        up.set(0);
        throw error;
      }
    };
  return {
    claim: observed(store.claim.bind(store)),
    complete: observed(store.complete.bind(store)),
    release: observed(store.release.bind(store)),
    ping: observed(store.ping.bind(store)),
    close: () => store.close(),
  };
}
