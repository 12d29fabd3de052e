import { expect } from 'chai';
import { ValidationError } from '../../errors';
import { checkReadAllOptions, checkReadStreamOptions } from './read-options';

function fieldsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    expect(error).to.be.instanceOf(ValidationError);
    return (error as ValidationError).errors.map((e) => e.field);
  }
  return [];
}

describe('EventStoreDB read options', () => {
  it('accepts the documented options unchanged', () => {
    const options = {
      direction: 'backwards',
      fromRevision: 0,
      maxCount: 1,
      until: new Date(),
    } as const;
    expect(checkReadStreamOptions('order-1', options)).to.equal(options);
    expect(checkReadAllOptions({ after: null, maxCount: 5 })).to.deep.equal({
      after: null,
      maxCount: 5,
    });
  });

  it('names every bad stream read option at once', () => {
    expect(
      fieldsOf(() =>
        checkReadStreamOptions('$all', {
          direction: 'sideways' as never,
          fromRevision: -1,
          maxCount: 0,
          until: new Date('nope'),
        }),
      ),
    ).to.deep.equal(['streamId', 'direction', 'fromRevision', 'maxCount', 'until']);
    expect(fieldsOf(() => checkReadStreamOptions('order-1', { fromRevision: 1.5 }))).to.deep.equal([
      'fromRevision',
    ]);
  });

  it('refuses a $all read with a bad maxCount or a position that is not ours', () => {
    expect(fieldsOf(() => checkReadAllOptions({ maxCount: 2.5 }))).to.deep.equal(['maxCount']);
    expect(fieldsOf(() => checkReadAllOptions({ after: '17' }))).to.deep.equal(['position']);
  });
});
