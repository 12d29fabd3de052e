import { expect } from 'chai';
import type { DeliveredMessage } from './delivery-check';
import { checkDelivery } from './delivery-check';
import { makeMessages } from './contract.fixtures';
import type { IntegrationMessage } from '../port';

const asDelivered = (m: IntegrationMessage): DeliveredMessage => ({
  topic: m.topic,
  key: m.key,
  value: JSON.parse(JSON.stringify(m.value)),
  headers: { ...m.headers },
});

describe('checkDelivery (what the contract suites judge adapters by)', () => {
  const published = makeMessages(['t1', 't2'], 12, 2);

  it('finds nothing wrong with an exact delivery, interleaved across keys', () => {
    const t1 = published.filter((m) => m.topic === 't1');
    const t2 = published.filter((m) => m.topic === 't2');
    const report = checkDelivery(published, [...t2, ...t1].map(asDelivered));
    expect(report).to.deep.equal({
      delivered: 12,
      missing: [],
      duplicates: 0,
      unexpected: [],
      outOfOrder: [],
    });
  });

  it('counts duplicates, judging order on first deliveries only', () => {
    const delivered = [...published, published[0]!, published[3]!].map(asDelivered);
    const report = checkDelivery(published, delivered);
    expect(report.duplicates).to.equal(2);
    expect(report.outOfOrder).to.deep.equal([]);
  });

  it('reports missing, reordered and altered messages', () => {
    const [first, second, third] = published.filter((m) => m.topic === 't1') as [
      IntegrationMessage,
      IntegrationMessage,
      IntegrationMessage,
    ];
    const altered = { ...asDelivered(third), value: { n: -1 } };
    const report = checkDelivery(published, [asDelivered(second), asDelivered(first), altered]);
    expect(report.outOfOrder).to.deep.equal([`t1/${first.key}`]);
    expect(report.unexpected).to.deep.equal([third.headers.ce_id]);
    expect(report.missing).to.have.length(10).and.include(third.headers.ce_id);
  });
});
