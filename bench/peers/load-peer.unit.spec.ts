import { expect } from 'chai';
import { loadPeer } from './load-peer';

describe('peers benchmark: loading a peer package', () => {
  it('a peer that is not built is a clear error naming the make target', () => {
    expect(() => loadPeer('not-a-peer')).to.throw(
      /peer not-a-peer is not built .*make bench-peers/,
    );
  });
});
