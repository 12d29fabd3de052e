import type { RequestHandler } from 'express';
import { Counter, type Registry } from 'prom-client';
import { ConflictError, StrataError, ValidationError } from '../errors';

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
