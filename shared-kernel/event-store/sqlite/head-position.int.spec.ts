import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { StoreError } from '../../errors';
import { caught, newEvents } from '../contract/contract.fixtures';
import { openHeadPositionReader } from './head-position';
import { openSqliteEventStore } from './sqlite-event-store';

describe('SQLite event store: head position reader for other code', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-events-head-'))));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('follows the head as the store appends, from a separate read-only connection', async () => {
    const store = openSqliteEventStore({ dataDir });
    const reader = openHeadPositionReader({ dataDir });
    try {
      expect(reader.read()).to.equal(null);
      const first = await store.append('s-1', newEvents(3), 'no_stream');
      expect(reader.read()).to.equal(first.position);
      const second = await store.append('s-2', newEvents(1), 'no_stream');
      expect(reader.read()).to.equal(second.position);
      expect(await store.headPosition()).to.equal(second.position);
    } finally {
      reader.close();
      await store.close();
    }
  });

  it('a missing file is a StoreError naming it, and is not created', async () => {
    const error = await caught(() => openHeadPositionReader({ dataDir, fileName: 'none.db' }));
    expect(error).to.be.instanceOf(StoreError);
    expect((error as Error).message).to.contain(path.join(dataDir, 'none.db'));
    expect(fs.existsSync(path.join(dataDir, 'none.db'))).to.equal(false);
  });
});
