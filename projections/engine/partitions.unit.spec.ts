import { expect } from 'chai';
import { readConfig } from '../../shared-kernel/config/env';
import { ConfigError } from '../../shared-kernel/errors';
import { workerConfig } from '../config';
import { readModelSpecs } from '../processors';
import {
  inPartition,
  parsePartitionCounts,
  parsePartitionName,
  partitionName,
  partitionNames,
  partitionSpecs,
  processorOf,
} from './partitions';
import { partitionOf, streamHash } from '../../shared-kernel/event-store/stream-hash';
import type { SearchIndex } from '../../shared-kernel/search-index/port';

const streams = (n: number) => Array.from({ length: n }, (_, i) => `order-${i}-${i * 7919}`);

describe('partitions: hash ranges', () => {
  it('hashes a stream id the same way everywhere (FNV-1a, no seed)', () => {
    // Reference values of 32-bit FNV-1a: a change of hash would move streams between partitions.
    expect(streamHash('')).to.equal(0x811c9dc5);
    expect(streamHash('a')).to.equal(0xe40c292c);
    expect(streamHash('foobar')).to.equal(0xbf9cf968);
  });

  it('puts every stream in exactly one partition, always the same one', () => {
    for (const count of [1, 2, 3, 4, 7, 64]) {
      for (const stream of streams(2000)) {
        const owners = Array.from({ length: count }, (_, index) =>
          inPartition({ processor: 'orders', index, count }, stream),
        ).filter(Boolean);
        expect(owners, `${stream} of ${count}`).to.have.length(1);
        expect(partitionOf(stream, count)).to.equal(partitionOf(stream, count));
      }
    }
  });

  it('spreads streams evenly: each of 4 partitions gets a quarter of 20,000 within 5%', () => {
    const sizes = [0, 0, 0, 0];
    for (const stream of streams(20_000)) sizes[partitionOf(stream, 4)]! += 1;
    for (const size of sizes) expect(Math.abs(size - 5000)).to.be.below(250);
  });

  it('a whole processor folds every stream', () => {
    expect(streams(100).every((stream) => inPartition(undefined, stream))).to.equal(true);
  });
});

describe('partitions: names', () => {
  it('names a partition 1-based and reads the name back', () => {
    const partition = { processor: 'kafka-mirror', index: 1, count: 4 };
    expect(partitionName(partition)).to.equal('kafka-mirror:2-of-4');
    expect(parsePartitionName('kafka-mirror:2-of-4')).to.deep.equal(partition);
    expect(parsePartitionName('orders')).to.equal(null);
    expect(processorOf('orders:3-of-4')).to.equal('orders');
    expect(processorOf('orders')).to.equal('orders');
    expect(partitionNames('orders', 1)).to.deep.equal(['orders']);
    expect(partitionNames('orders', 2)).to.deep.equal(['orders:1-of-2', 'orders:2-of-2']);
  });
});

describe('partitions: STRATA_PARTITIONS', () => {
  it('reads processor=count pairs, none by default', () => {
    expect(readConfig({}, workerConfig).partitions.size).to.equal(0);
    const { partitions } = readConfig(
      { STRATA_PARTITIONS: 'orders=4, inventory=2,audit=1' },
      workerConfig,
    );
    expect([...partitions]).to.deep.equal([
      ['orders', 4],
      ['inventory', 2],
      ['audit', 1],
    ]);
  });

  for (const [raw, problem] of [
    ['products=2', /products cannot be partitioned: it must stay whole/],
    ['fulfillment-saga=2', /fulfillment-saga cannot be partitioned/],
    ['product-search=4', /product-search cannot be partitioned/],
    ['orders=0', /orders: 0 partitions is not 1-64/],
    ['orders=65', /orders: 65 partitions is not 1-64/],
    ['orders=2,orders=4', /orders is named twice/],
    ['orders:4', /"orders:4" is not processor=count/],
  ] as const) {
    it(`refuses ${raw}, naming the variable and the problem`, () => {
      expect(() => readConfig({ STRATA_PARTITIONS: raw }, workerConfig)).to.throw(
        ConfigError,
        /STRATA_PARTITIONS: expected processor=count pairs/,
      );
      expect(() => parsePartitionCounts(raw))
        .to.throw()
        .that.matches(problem);
    });
  }
});

describe('partitions: specs', () => {
  const search = {} as SearchIndex;

  it('replaces a partitioned processor by its partitions, sharing its fold and collections', () => {
    const specs = readModelSpecs(search);
    const split = partitionSpecs(specs, new Map([['orders', 3]]));
    const names = split.map((spec) => spec.projection.name);
    expect(names.filter((name) => name.startsWith('orders'))).to.deep.equal([
      'orders:1-of-3',
      'orders:2-of-3',
      'orders:3-of-3',
    ]);
    expect(split).to.have.length(specs.length + 2);
    const whole = specs.find((spec) => spec.projection.name === 'orders')!;
    const second = split.find((spec) => spec.projection.name === 'orders:2-of-3')!;
    expect(second.partition).to.deep.equal({ processor: 'orders', index: 1, count: 3 });
    expect(second.projection.collections).to.equal(whole.projection.collections);
    expect(second.projection.apply).to.equal(whole.projection.apply);
    expect(partitionSpecs(specs, new Map([['orders', 1]]))).to.deep.equal(specs);
  });
});
