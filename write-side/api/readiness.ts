import type { Cache } from '../../shared-kernel/cache/port';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { UnavailableError } from '../../shared-kernel/errors';
import type { ReadinessCheck } from '../../shared-kernel/http/operational-routes';
import type { CircuitBreakers } from '../../shared-kernel/resilience/circuit-breaker';
import { breakersDetail, notClosedBreakers } from '../../shared-kernel/resilience/readiness-detail';

export interface ReadinessDeps {
  store: EventStore;
  cache: Cache;
  /** The process's circuit breakers, whose states `/readyz` shows. */
  breakers?: CircuitBreakers;
}

/** The command API is ready when its event store and its cache (idempotency keys) answer. */
export function commandApiReadiness(deps: ReadinessDeps): ReadinessCheck {
  return async () => {
    const checks = { eventStore: deps.store.ping(), cache: deps.cache.ping() };
    const failed: string[] = [];
    for (const [name, check] of Object.entries(checks)) {
      await check.catch(() => failed.push(name));
    }
    if (failed.length > 0) {
      const breakers = notClosedBreakers(deps.breakers);
      throw new UnavailableError(`not ready: ${failed.join(', ')} unreachable${breakers}`);
    }
    return { status: 'ready', ...breakersDetail(deps.breakers) };
  };
}
