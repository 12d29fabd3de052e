import { UnavailableError } from './errors';

/**
 * Races a call against our own timer, for clients whose own timeouts do not bound a call
 * (EventStoreDB's client on a black-holed port, kafkajs's retries summed over a call's
 * requests). The call is abandoned, not cancelled: `onTimeout` may cancel it.
 */
export async function withinDeadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  onTimeout: () => void = () => undefined,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new UnavailableError(`${what} did not answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined); // a late failure of an abandoned call is nobody's to handle
  }
}
