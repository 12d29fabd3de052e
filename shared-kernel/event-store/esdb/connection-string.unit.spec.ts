import { expect } from 'chai';
import { ConfigError, ConcurrencyError } from '../../errors';
import { createLogger } from '../../logging/logger';
import { clientConnectionString } from './connection-string';
import { checkAppended } from './esdb-errors';
import { ownEvent } from './own-events';

describe('EventStoreDB connection strings and append answers', () => {
  it("takes KurrentDB's kurrentdb:// and kdb:// (with +discover) as client 6.2.1's esdb://", () => {
    expect(clientConnectionString('kurrentdb://localhost:2113?tls=false')).to.equal(
      'esdb://localhost:2113?tls=false',
    );
    expect(clientConnectionString('kdb+discover://a:2113,b:2113')).to.equal(
      'esdb+discover://a:2113,b:2113',
    );
    expect(clientConnectionString('esdb://u:p@h:2113?tlsCAFile=/ca.pem')).to.equal(
      'esdb://u:p@h:2113?tlsCAFile=/ca.pem',
    );
  });

  it('refuses throwOnAppendFailure=false, naming ESDB_URL, in any letter case', () => {
    for (const url of [
      'esdb://h:2113?throwOnAppendFailure=false',
      'esdb://h:2113?tls=false&ThrowOnAppendFailure=FALSE',
    ]) {
      expect(() => clientConnectionString(url), url).to.throw(ConfigError, 'ESDB_URL');
    }
    expect(clientConnectionString('esdb://h?throwOnAppendFailure=true')).to.contain('true');
  });

  it('a resolved { success: false } append is a concurrency conflict, never a success', () => {
    const failed = { success: false, nextExpectedRevision: 4n, position: undefined };
    expect(() => checkAppended(failed, 'order-1', 2)).to.throw(ConcurrencyError, 'order-1');
    const ok = { success: true, nextExpectedRevision: 3n };
    expect(checkAppended(ok, 'order-1', 2)).to.equal(ok);
  });
});

describe("EventStoreDB: which events of $all are Strata's", () => {
  const reported: string[] = [];
  const own = {
    streamPrefixes: ['order-', 'product-'],
    logger: createLogger({ service: 'own-events', level: 'error', format: 'json' }),
    onForeignEvent: (report: { eventId: string }) => reported.push(report.eventId),
  };
  const metadata = {
    correlationId: 'c',
    causationId: null,
    actor: 'a',
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
  };
  const stored = (streamId: string, eventMetadata: unknown, id = 'e-1') =>
    ({
      id,
      streamId,
      type: 'Something',
      revision: 0n,
      created: new Date(0),
      data: {},
      metadata: eventMetadata,
      isJson: true,
      position: { commit: 10n, prepare: 10n },
    }) as never;

  it('keeps decodable events of its own streams', () => {
    expect(ownEvent(own, stored('order-1', metadata))?.streamId).to.equal('order-1');
  });

  it("passes over other applications' streams and the server's, in silence", () => {
    expect(ownEvent(own, stored('invoice-1', metadata))).to.equal(null);
    expect(ownEvent(own, stored('$projections-x', metadata))).to.equal(null);
    expect(reported).to.deep.equal([]);
  });

  it("skips and reports an event in one of its streams that is not Strata's (an emit, say)", () => {
    expect(ownEvent(own, stored('order-9', { foreign: true }, 'e-foreign'))).to.equal(null);
    expect(reported).to.deep.equal(['e-foreign']);
  });
});
