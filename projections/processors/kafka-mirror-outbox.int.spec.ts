import { expect } from 'chai';
import path from 'node:path';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { openSqliteDocumentStore } from '../../shared-kernel/document-store/sqlite/sqlite-document-store';
import { checkDelivery } from '../../shared-kernel/integration/contract/delivery-check';
import {
  openOutboxPublisher,
  type OutboxStats,
} from '../../shared-kernel/integration/outbox/outbox-publisher';
import {
  owedIntegrationMessages,
  readOutboxDeliveries,
} from '../../test/support/mirror-expectations';
import { buildShopHistory } from '../../test/support/shop-history';
import { openShopStores, type ShopStores } from '../../test/support/shop-stores';
import { kafkaMirrorProcessor } from './kafka-mirror-processor';

/** The mirror with no KAFKA_BROKERS: the embedded outbox, as `make run` has it. */
describe('Kafka mirror into the embedded outbox', function () {
  this.timeout(45_000);
  let shop: ShopStores;
  const opened: DocumentStore[] = [];

  before(async () => {
    shop = openShopStores('strata-mirror-outbox-');
    await buildShopHistory(shop, 300, 10);
  });
  after(async () => {
    for (const documents of opened) await documents.close();
    await shop?.close();
  });

  /** One mirror run to the head of the log, its checkpoint and state kept in `file`. */
  async function mirrorOnce(outboxDir: string, file: string): Promise<OutboxStats> {
    // What openIntegrationPublisher picks without KAFKA_BROKERS; made here for its stats.
    const publisher = openOutboxPublisher({ dataDir: outboxDir });
    const documents = openSqliteDocumentStore({ file: path.join(shop.dataDir, file) });
    opened.push(documents);
    try {
      const runner = await shop.startRunner(kafkaMirrorProcessor(publisher), documents);
      await shop.settle(runner);
      await runner.stop();
      return publisher.stats();
    } finally {
      await publisher.close();
    }
  }

  it('holds every public event exactly once per ce_id, in order per key, though the log was mirrored twice', async () => {
    const outboxDir = path.join(shop.dataDir, 'outbox');
    const first = await mirrorOnce(outboxDir, 'mirror-first.db');
    const afterFirst = await readOutboxDeliveries(outboxDir);
    // Checkpoint and folded state lost: the whole log is mirrored again into the same outbox.
    const again = await mirrorOnce(outboxDir, 'mirror-again.db');
    const delivered = await readOutboxDeliveries(outboxDir);

    const published = (await owedIntegrationMessages(shop.events, shop.upcast)).map(
      (o) => o.message,
    );
    expect(published.length).to.be.greaterThan(1000);
    const report = checkDelivery(published, delivered);
    expect(report).to.deep.equal({
      delivered: published.length,
      missing: [],
      duplicates: 0,
      unexpected: [],
      outOfOrder: [],
    });
    expect(delivered).to.deep.equal(afterFirst);
    expect(first).to.deep.equal({ stored: published.length, duplicatesIgnored: 0 });
    expect(again).to.deep.equal({ stored: 0, duplicatesIgnored: published.length });
  });
});
