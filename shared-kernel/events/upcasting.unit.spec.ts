import { expect } from 'chai';
import { ConfigError, StoreError } from '../errors';
import { eventUpcasting, mergeSchemaVersions, type Upcaster } from './upcasting';

// A three-step history of one event type: v1 had `fullName`, v2 split it, v3 added `tags`.
const splitName: Upcaster = {
  type: 'CustomerRegistered',
  fromVersion: 1,
  upcast(data) {
    const { fullName, ...rest } = data as { fullName: string };
    const [first = '', ...last] = fullName.split(' ');
    return { ...rest, firstName: first, lastName: last.join(' ') };
  },
};
const addTags: Upcaster = {
  type: 'CustomerRegistered',
  fromVersion: 2,
  upcast: (data) => ({ ...(data as object), tags: [] }),
};
const versions = { CustomerRegistered: 3, CustomerMoved: 1 };

const stored = (schemaVersion: number, data: unknown) => ({
  eventId: 'e1',
  type: 'CustomerRegistered',
  data,
  metadata: { schemaVersion, correlationId: 'c1' },
});

describe('Event upcasting', () => {
  const upcasting = eventUpcasting(versions, [addTags, splitName]);

  it('applies the chain from the stored version up to the current one', () => {
    const event = upcasting.upcast(stored(1, { id: 7, fullName: 'Ada King Lovelace' }));
    expect(event.data).to.deep.equal({
      id: 7,
      firstName: 'Ada',
      lastName: 'King Lovelace',
      tags: [],
    });
    expect(event.metadata).to.deep.equal({ schemaVersion: 3, correlationId: 'c1' });
    expect(event.eventId).to.equal('e1');
    const fromV2 = upcasting.upcast(stored(2, { firstName: 'A', lastName: 'B' }));
    expect(fromV2.data).to.deep.equal({ firstName: 'A', lastName: 'B', tags: [] });
  });

  it('returns a current event untouched, and leaves the stored one unchanged', () => {
    const current = stored(3, { firstName: 'A' });
    expect(upcasting.upcast(current)).to.equal(current);
    const old = stored(1, { fullName: 'A B' });
    upcasting.upcast(old);
    expect(old).to.deep.equal(stored(1, { fullName: 'A B' }));
  });

  it('knows the version to write new events at (1 for unversioned types)', () => {
    expect(upcasting.currentVersion('CustomerRegistered')).to.equal(3);
    expect(upcasting.currentVersion('CustomerMoved')).to.equal(1);
    expect(upcasting.currentVersion('SomethingElse')).to.equal(1);
  });

  it('refuses an event from a newer schema, or with a nonsense version', () => {
    expect(() => upcasting.upcast(stored(4, {}))).to.throw(StoreError, 'schema version 4');
    expect(() => upcasting.upcast(stored(0, {}))).to.throw(StoreError, 'schema version 0');
  });

  it('names the event and version when an upcaster fails on bad stored data', () => {
    expect(() => upcasting.upcast(stored(1, { fullName: 42 }))).to.throw(
      StoreError,
      'cannot upcast CustomerRegistered from version 1',
    );
  });

  it('fails at start-up on a gap in a chain, a duplicate, or an upcaster past the current version', () => {
    expect(() => eventUpcasting(versions, [splitName])).to.throw(ConfigError, 'from version 2');
    expect(() => eventUpcasting(versions, [splitName, addTags, splitName])).to.throw(
      ConfigError,
      'two upcasters',
    );
    expect(() => eventUpcasting({ CustomerRegistered: 2 }, [splitName, addTags])).to.throw(
      ConfigError,
      'must be 1 to 1',
    );
    expect(() => eventUpcasting({}, [splitName])).to.throw(ConfigError, 'unknown event type');
  });

  it('merges version tables and refuses an event type declared twice', () => {
    expect(mergeSchemaVersions({ A: 1 }, { B: 2 })).to.deep.equal({ A: 1, B: 2 });
    expect(() => mergeSchemaVersions({ A: 1 }, { A: 2 })).to.throw(
      ConfigError,
      'A is declared twice',
    );
  });
});
