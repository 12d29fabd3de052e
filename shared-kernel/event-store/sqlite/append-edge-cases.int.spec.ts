import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConflictError, ValidationError } from '../../errors';
import {
  caught,
  collect,
  newEvent,
  newEvents,
  uniqueStreamId,
} from '../contract/contract.fixtures';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite-event-store';

describe('SQLite event store: event ids and bad input', () => {
  let dataDir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-events-ids-'));
    store = openSqliteEventStore({ dataDir });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('an event id already stored in another stream is a ConflictError; nothing of the append is stored', async () => {
    const taken = newEvent();
    await store.append('one-1', [taken], 'no_stream');
    const fresh = newEvent();
    const error = await caught(() => store.append('two-2', [fresh, taken], 'any'));
    expect(error).to.be.instanceOf(ConflictError);
    expect((error as ConflictError).rule).to.equal('duplicate-event-id');
    expect((error as Error).message)
      .to.contain(taken.eventId)
      .and.to.contain('one-1');
    expect(await collect(store.readStream('two-2'))).to.deep.equal([]);
    expect(await collect(store.readAll())).to.have.length(1);
  });

  it('a "retry" that mixes stored and new event ids is a ConflictError, not a partial append', async () => {
    const streamId = uniqueStreamId('mixed');
    const [a, b] = newEvents(2);
    await store.append(streamId, [a!, b!], 'no_stream');
    const error = await caught(() => store.append(streamId, [a!, b!, newEvent()], 'no_stream'));
    expect(error).to.be.instanceOf(ConflictError);
    expect(await collect(store.readStream(streamId))).to.have.length(2);
  });

  it('a retry with "any" of events stored at those revisions returns the original result', async () => {
    const streamId = uniqueStreamId('retry-any');
    const events = newEvents(3);
    const original = await store.append(streamId, events, 'any');
    await store.append(streamId, newEvents(1), 'any');
    expect(await store.append(streamId, events, 'any')).to.deep.equal(original);
    expect(await collect(store.readStream(streamId))).to.have.length(4);
  });

  it('a retry and its original in the same group store the events once', async () => {
    const streamId = uniqueStreamId('same-group');
    const events = newEvents(2);
    const [first, second] = await Promise.all([
      store.append(streamId, events, 'no_stream'),
      store.append(streamId, events, 'no_stream'),
    ]);
    expect(second).to.deep.equal(first);
    expect(await collect(store.readStream(streamId))).to.have.length(2);
  });

  it('data that cannot be JSON is a ValidationError naming the event', async () => {
    const error = await caught(() =>
      store.append('s-1', [newEvent(), { ...newEvent(), data: { n: 1n } }], 'any'),
    );
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).errors[0]!.field).to.equal('events[1].data');
    expect(await collect(store.readAll())).to.deep.equal([]);
  });

  it('positions are 16 lowercase hex digits; a malformed one is a ValidationError', async () => {
    const result = await store.append('s-1', newEvents(1), 'any');
    expect(result.position).to.match(/^[0-9a-f]{16}$/);
    for (const after of ['zz', '0000000000000001 ', '000000000000000A']) {
      const error = await caught(() => collect(store.readAll({ after })));
      expect(error, after).to.be.instanceOf(ValidationError);
      expect(() => store.subscribeToAll({ after })).to.throw(ValidationError);
    }
  });
});
