import type { EventStore } from '../../shared-kernel/event-store/port';
import { UnavailableError } from '../../shared-kernel/errors';
import type { ReadinessCheck } from '../../shared-kernel/http/operational-routes';
import type { IdempotencyStore } from '../../shared-kernel/idempotency/port';
import type { CircuitBreakers } from '../../shared-kernel/resilience/circuit-breaker';
import { breakersDetail, notClosedBreakers } from '../../shared-kernel/resilience/readiness-detail';

export interface ReadinessDeps {
  store: EventStore;
  idempotency: IdempotencyStore;
  /** The process's circuit breakers, whose states `/readyz` shows. */
  breakers?: CircuitBreakers;
}

/**
 * The command API is ready when its event store answers: nothing works without it. The
 * idempotency store is reported but does not make the process unready, since commands without
 * a key still work (keyed ones get 503 until it is back); a load balancer routing on `/readyz`
 * must not drop all traffic for it.
 */
export function commandApiReadiness(deps: ReadinessDeps): ReadinessCheck {
  return async () => {
    await deps.store.ping().catch(() => {
      throw new UnavailableError(
        `not ready: eventStore unreachable${notClosedBreakers(deps.breakers)}`,
      );
    });
    const idempotencyStore = await deps.idempotency.ping().then(
      () => 'up',
      () => 'unavailable',
    );
    return { status: 'ready', idempotencyStore, ...breakersDetail(deps.breakers) };
  };
}
