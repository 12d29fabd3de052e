import { expect } from 'chai';
import {
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { StoreError, UnavailableError } from '../../errors';
import { lostProducerState, toPublisherError } from './kafka-errors';

describe('toPublisherError (kafkajs failures as typed errors)', () => {
  const brokers = ['127.0.0.1:9092'];
  /** A non-retriable broker refusal, as kafkajs builds it from its error-code table entry. */
  const refusal = (type: string, code: number, message: string) =>
    // Its typings omit that the constructor takes the table entry.
    new KafkaJSProtocolError({ type, code, retriable: false, message } as unknown as Error);

  it('treats timeouts, lost connections and exhausted retries as transient, naming the broker', () => {
    const timedOut = new KafkaJSNumberOfRetriesExceeded(new Error('Request Produce timed out'), {
      retryCount: 2,
      retryTime: 300,
    });
    for (const cause of [timedOut, new KafkaJSConnectionError('Connection error: ECONNREFUSED')]) {
      const error = toPublisherError(cause, brokers);
      expect(error).to.be.instanceOf(UnavailableError);
      expect(error.message).to.contain('127.0.0.1:9092');
      expect(error.cause).to.equal(cause);
    }
  });

  it('treats a broker refusing the records for good as a store error', () => {
    const tooLarge = refusal(
      'MESSAGE_TOO_LARGE',
      10,
      'The request included a message larger than the max message size',
    );
    expect(tooLarge.retriable).to.equal(false);
    const error = toPublisherError(tooLarge, brokers);
    expect(error).to.be.instanceOf(StoreError);
    expect(error.message).to.contain('larger than the max message size');
  });

  it("treats a refusal of the producer's own state as transient, however kafkajs wraps it", () => {
    const outOfOrder = refusal(
      'OUT_OF_ORDER_SEQUENCE_NUMBER',
      45,
      'The broker received an out of order sequence number',
    );
    const exhausted = new KafkaJSNumberOfRetriesExceeded(outOfOrder, {
      retryCount: 1,
      retryTime: 100,
    });
    for (const error of [outOfOrder, exhausted]) {
      expect(lostProducerState(error)).to.equal(true);
      expect(toPublisherError(error, brokers)).to.be.instanceOf(UnavailableError);
    }
    expect(lostProducerState(new KafkaJSConnectionError('Connection error'))).to.equal(false);
    expect(lostProducerState(undefined)).to.equal(false);
  });
});
