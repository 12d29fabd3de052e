import { StoreError, UnavailableError } from '../../errors';

/**
 * Maps what kafkajs throws onto the typed errors callers handle. A broker that refuses a
 * request for good (a protocol error kafkajs marks non-retriable, such as a record too large or
 * a denied topic) is a `StoreError`: retrying the same batch cannot help. Everything else
 * (timeouts, refused or dropped connections, leader elections, retries exhausted) is transient:
 * `UnavailableError`, and the caller publishes the same batch again. So is a refusal of the
 * producer's own state (`lostProducerState`): the publisher retries it on a new session.
 */
export function toPublisherError(error: unknown, brokers: readonly string[]): Error {
  const where = `Kafka (${brokers.join(',')})`;
  const message = error instanceof Error ? error.message : String(error);
  if (isPermanentRefusal(error) && !lostProducerState(error)) {
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

/**
 * Refusals that concern the producer's session, not the records: the brokers no longer know its
 * id, its epoch, or where its sequence numbers stand (after a broker restart, or a resend of a
 * batch whose answer was lost). kafkajs marks them non-retriable, and for that client they are
 * for good; a new producer id sends the same batch cleanly, so they are transient.
 */
export function lostProducerState(error: unknown): boolean {
  // kafkajs may wrap the broker's error (retries exhausted): look down the cause chain.
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const { type } = e as Error & { type?: unknown };
    if (typeof type === 'string' && PRODUCER_STATE_ERRORS.has(type)) return true;
  }
  return false;
}

const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'UNKNOWN_PRODUCER_ID',
]);
