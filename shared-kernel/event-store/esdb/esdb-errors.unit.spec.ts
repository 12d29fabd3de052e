import {
  AccessDeniedError,
  ANY,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError,
  UnavailableError as EsdbUnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { expect } from 'chai';
import {
  ConcurrencyError,
  NotFoundError,
  PayloadTooLargeError,
  StoreError,
  UnavailableError,
  ValidationError,
} from '../../errors';
import { mapEsdbError } from './esdb-errors';
import { toEsdbExpectedRevision } from './expected-revision';

const url = 'esdb://db:2113?tls=false';

describe('EventStoreDB expected revision mapping', () => {
  it('maps each kind to the client constant and an exact revision to a bigint', () => {
    expect(toEsdbExpectedRevision('any')).to.equal(ANY);
    expect(toEsdbExpectedRevision('no_stream')).to.equal(NO_STREAM);
    expect(toEsdbExpectedRevision('stream_exists')).to.equal(STREAM_EXISTS);
    expect(toEsdbExpectedRevision(0)).to.equal(0n);
    expect(toEsdbExpectedRevision(41)).to.equal(41n);
  });

  it('refuses anything else with a ValidationError naming expectedRevision', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53, '3', null]) {
      expect(() => toEsdbExpectedRevision(bad as never), String(bad)).to.throw(
        ValidationError,
        'expectedRevision',
      );
    }
  });
});

describe('EventStoreDB error mapping', () => {
  it('a wrong expected version is a ConcurrencyError naming the stream, what was expected and what is', () => {
    const wrong = new WrongExpectedVersionError(undefined, {
      streamName: 'order-1',
      expected: 2n,
      current: 4n,
    });
    const error = mapEsdbError(wrong, { url, streamId: 'order-1', expected: 2 });
    expect(error).to.be.instanceOf(ConcurrencyError);
    expect(error).to.deep.include({ streamId: 'order-1', expected: '2', actual: '4', status: 409 });
  });

  it("reports the port's expected kind and a missing stream as no_stream", () => {
    const wrong = new WrongExpectedVersionError(undefined, {
      streamName: 'sku-A',
      expected: STREAM_EXISTS,
      current: NO_STREAM,
    });
    expect(
      mapEsdbError(wrong, { url, streamId: 'sku-A', expected: 'stream_exists' }),
    ).to.deep.include({
      expected: 'stream_exists',
      actual: 'no_stream',
    });
    expect(mapEsdbError(wrong, { url })).to.deep.include({
      streamId: 'sku-A',
      expected: 'stream_exists',
    });
  });

  it('a deleted stream is a concurrency conflict: it can never be where the append expects', () => {
    const error = mapEsdbError(StreamDeletedError.fromStreamName('product-9'), {
      url,
      streamId: 'product-9',
    });
    expect(error).to.be.instanceOf(ConcurrencyError);
    expect(error.message).to.contain('deleted');
  });

  it('an unreachable or slow server is UnavailableError (503) naming the URL', () => {
    for (const cause of [new EsdbUnavailableError(), new DeadlineExceededError()]) {
      const error = mapEsdbError(cause, { url });
      expect(error).to.be.instanceOf(UnavailableError);
      expect(error.status).to.equal(503);
      expect(error.message).to.contain(url);
      expect(error.cause).to.equal(cause);
    }
    const raw = Object.assign(new Error('14 UNAVAILABLE: connect ECONNREFUSED'), { code: 14 });
    expect(mapEsdbError(raw, { url, streamId: 's-1' })).to.be.instanceOf(UnavailableError);
  });

  it('an oversized append is PayloadTooLargeError with the server limit', () => {
    const error = mapEsdbError(MaxAppendSizeExceededError.fromMaxAppendSize(1048576), {
      url,
      streamId: 'x-1',
    });
    expect(error).to.be.instanceOf(PayloadTooLargeError);
    expect(error.message).to.contain('1048576');
  });

  it('anything else is a StoreError naming the URL and the stream; our own errors pass through', () => {
    const denied = mapEsdbError(new AccessDeniedError(), { url, streamId: 'order-7' });
    expect(denied).to.be.instanceOf(StoreError);
    expect(denied.message)
      .to.contain(url)
      .and.to.contain('order-7')
      .and.to.contain('access-denied');
    expect(mapEsdbError('boom', { url })).to.be.instanceOf(StoreError);
    const ours = new NotFoundError('gone');
    expect(mapEsdbError(ours, { url })).to.equal(ours);
  });
});
