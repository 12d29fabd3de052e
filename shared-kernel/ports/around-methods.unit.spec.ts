import { expect } from 'chai';
import { withSpans } from '../tracing/traced-port';
import { TRACING_OFF } from '../tracing/tracing';
import { aroundMethods } from './around-methods';

class Counter {
  count = 0;
  async add(by: number): Promise<number> {
    this.count += by;
    return this.count;
  }
  async reset(): Promise<void> {
    this.count = 0;
  }
  describe(): string {
    return `count ${this.count}`;
  }
}

describe('aroundMethods', () => {
  it('runs the named methods through `around` with their own `this`, and passes the rest through', async () => {
    const counter = new Counter();
    const seen: string[] = [];
    const wrapped = aroundMethods(counter, ['add'], async (method, call) => {
      seen.push(method);
      return call();
    });
    expect(await wrapped.add(2)).to.equal(2);
    expect(await wrapped.add(3)).to.equal(5);
    await wrapped.reset();
    expect(wrapped.describe()).to.equal('count 0');
    expect(seen).to.deep.equal(['add', 'add']);
    expect(wrapped.add).to.equal(wrapped.add, 'each wrapper is made once');
  });

  it('passes a rejection on as it came', async () => {
    const failing = { fail: () => Promise.reject(new RangeError('no')) };
    const wrapped = aroundMethods(failing, ['fail'], (_method, call) => call());
    const error = await wrapped.fail().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RangeError);
  });

  it('with tracing off, withSpans hands the adapter back unwrapped (off costs nothing)', () => {
    const counter = new Counter();
    expect(withSpans(TRACING_OFF, counter, 'counter', ['add', 'reset'])).to.equal(counter);
  });
});
