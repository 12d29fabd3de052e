import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who and why, for the unit of work in progress (an HTTP request, a projection batch). Carried
 * by AsyncLocalStorage so that every log line and every event written inside it can name the
 * correlation id without threading it through every call.
 */
export interface RequestContext {
  correlationId: string;
  causationId?: string | null;
  actor?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
