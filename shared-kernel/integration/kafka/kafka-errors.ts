import { StoreError, UnavailableError } from '../../errors';

/**
 * Maps what kafkajs throws onto the typed errors callers handle. A broker that refuses a
 * request for good (a protocol error kafkajs marks non-retriable, such as a record too large or
 * a denied topic) is a `StoreError`: retrying the same batch cannot help. Everything else
 * (timeouts, refused or dropped connections, leader elections, retries exhausted) is transient:
 * `UnavailableError`, and the caller publishes the same batch again.
 */
export function toPublisherError(error: unknown, brokers: readonly string[]): Error {
  const where = `Kafka (${brokers.join(',')})`;
  const message = error instanceof Error ? error.message : String(error);
  if (isPermanentRefusal(error)) {
    return new StoreError(`${where} refused the publish: ${message}`, { cause: error });
  }
  return new UnavailableError(`${where} did not accept the publish: ${message}`, 1, {
    cause: error,
  });
}

function isPermanentRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name, retriable } = error as Error & { retriable?: boolean };
  return name === 'KafkaJSProtocolError' && retriable === false;
}
