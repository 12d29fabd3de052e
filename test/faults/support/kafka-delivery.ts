import { expect } from 'chai';
import {
  checkDelivery,
  ownDeliveries,
  type DeliveryReport,
} from '../../../shared-kernel/integration/contract/delivery-check';
import {
  INTEGRATION_TOPICS,
  type IntegrationMessage,
} from '../../../shared-kernel/integration/port';
import { kcatReader } from '../../support/kafka-readers';
import { owedIntegrationMessages } from '../../support/mirror-expectations';
import { figure } from './figures';
import type { InProcessShop } from './in-process-shop';

const TOPICS = Object.values(INTEGRATION_TOPICS);

export interface KafkaDelivery {
  published: IntegrationMessage[];
  report: DeliveryReport;
}

/**
 * What the shop's log owes Kafka, against what the cluster holds. The cluster is shared by the
 * whole mocha run: only this scenario's ce_ids count as its messages.
 */
export async function kafkaDeliveryOf(
  shop: InProcessShop,
  brokers: readonly string[],
): Promise<KafkaDelivery> {
  const owed = await owedIntegrationMessages(shop.events, shop.upcast);
  const published = owed.map((o) => o.message);
  const awaited = new Set(published.map((m) => m.headers.ce_id));
  const delivered = ownDeliveries(published, await kcatReader([...brokers])(TOPICS, awaited));
  return { published, report: checkDelivery(published, delivered) };
}

/** Prints the delivery figures, then fails on a message missing, out of order or unexpected. */
export function expectEveryMessageOnce(scenario: string, { published, report }: KafkaDelivery) {
  figure(scenario, 'public messages owed', published.length);
  figure(scenario, 'messages read back (kcat)', report.delivered);
  figure(scenario, 'missing ce_ids', report.missing.length);
  figure(scenario, 'keys out of order', report.outOfOrder.length);
  figure(scenario, 'unexpected messages', report.unexpected.length);
  figure(scenario, 'duplicates (at-least-once)', report.duplicates);
  expect(new Set(published.map((m) => m.topic))).to.deep.equal(new Set(TOPICS));
  expect(report.missing.slice(0, 20), `${report.missing.length} missing`).to.deep.equal([]);
  expect(report.outOfOrder.slice(0, 20)).to.deep.equal([]);
  expect(report.unexpected.slice(0, 20)).to.deep.equal([]);
}
