import { expect } from 'chai';
import { isUuid, newId } from './ids';

describe('ids', () => {
  it('makes UUID v7 ids that sort by creation time', async () => {
    const first = newId();
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = newId();
    expect(isUuid(first)).to.equal(true);
    expect(first[14]).to.equal('7');
    expect(first < second).to.equal(true);
    expect(isUuid('not-a-uuid')).to.equal(false);
  });
});
