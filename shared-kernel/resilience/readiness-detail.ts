import type { BreakerDetail, CircuitBreakers } from './circuit-breaker';

/** What `/readyz` adds to its answer: every breaker's state, when the process has any. */
export function breakersDetail(breakers: CircuitBreakers | undefined): {
  breakers?: Record<string, BreakerDetail>;
} {
  const detail = breakers?.detail() ?? {};
  return Object.keys(detail).length > 0 ? { breakers: detail } : {};
}

/** The breakers that are not closed, for a 503's detail: `; breakers: kafka open (...)`. */
export function notClosedBreakers(breakers: CircuitBreakers | undefined): string {
  const notClosed = Object.entries(breakers?.detail() ?? {})
    .filter(([, detail]) => detail.state !== 'closed')
    .map(([name, detail]) => `${name} ${detail.state} (${detail.lastFailure ?? 'failing'})`);
  return notClosed.length > 0 ? `; breakers: ${notClosed.join(', ')}` : '';
}
