import type { Request, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { principalOf } from './principal';

/**
 * Who a request comes from, for what is kept per caller (rate-limit counters, idempotency
 * keys): the token subject once authenticated, otherwise the client address, IPv6 by /56.
 * The address is the TCP peer's: the APIs do not trust `X-Forwarded-For`, so behind a proxy
 * every open caller is the proxy (turn tokens on there).
 */
export function callerOf(request: Request, response: Response): string {
  const principal = principalOf(response.locals);
  return principal ? `sub:${principal.subject}` : `ip:${ipKeyGenerator(request.ip ?? '')}`;
}
