import { expect } from 'chai';
import { scrape } from '../shared-kernel/metrics/scrape.fixtures';
import { eventually } from '../test/support/eventually';
import {
  runningSystem,
  settled,
  smallShop,
  type RunningSystem,
} from '../test/support/running-system';

describe('projection worker process: /metrics, and SIGTERM', function () {
  this.timeout(60_000);
  let system: RunningSystem;
  before(() => (system = runningSystem()));
  after(() => system.stopAll());

  it('reports per-processor progress, the saga commands and the mirror messages, then exits 0 on SIGTERM', async () => {
    const commands = await system.start('command');
    const worker = await system.start('worker');
    await smallShop(commands.base, 3);
    // The saga confirms the order after reserving: wait for that too, then for every processor.
    await settled(worker.base);
    const status = (await (await fetch(`${worker.base}/status`)).json()) as {
      processors: { name: string; checkpoint: string; lease: { owner: string } | null }[];
    };
    // The one worker holds every lease, from its first heartbeat on.
    const owner = status.processors[0]!.lease!.owner;
    expect(owner).to.be.a('string');
    const head = Number.parseInt(status.processors[0]!.checkpoint, 16);
    // The lag gauges are the processors' own figures, measured each heartbeat: the last batch
    // (the saga's confirmation) is in them one beat after it committed.
    let m = await scrape(worker.base);
    await eventually('every lag gauge at 0', async () => {
      m = await scrape(worker.base);
      return status.processors.every(
        ({ name }) =>
          m.value('strata_projection_lag_seconds', { processor: name }) === 0 &&
          m.value('strata_projection_lag_events', { processor: name }) === 0,
      );
    });

    for (const { name } of status.processors) {
      const processor = { processor: name };
      expect(m.value('strata_projection_events_processed_total', processor), name).to.equal(head);
      expect(m.value('strata_projection_batch_duration_seconds_count', processor)).to.be.at.least(
        1,
      );
      expect(m.value('strata_projection_checkpoint', processor), name).to.equal(head);
      expect(m.value('strata_projection_lag_events', processor), name).to.equal(0);
      expect(m.value('strata_projection_lag_seconds', processor), name).to.equal(0);
      expect(m.value('strata_projection_parked_streams', processor), name).to.equal(0);
      expect(m.value('strata_projection_lease_token', processor), name).to.equal(1);
      expect(m.value('strata_projection_lease_age_seconds', processor), name).to.be.below(5);
      expect(m.value('strata_projection_lease_owner', { ...processor, worker: owner })).to.equal(1);
    }
    // The saga reserved the one order line and confirmed the order, through the counted store.
    expect(m.value('strata_commands_total', { command: 'ReserveStock', outcome: 'ok' })).to.equal(
      1,
    );
    expect(m.value('strata_commands_total', { command: 'ConfirmOrder', outcome: 'ok' })).to.equal(
      1,
    );
    expect(m.value('strata_events_appended_total', { category: 'order' })).to.equal(1);
    // The embedded outbox took every public message: 3 products, stock changes, the order.
    const produced = 'strata_integration_messages_produced_total';
    expect(m.value(produced, { topic: 'strata.catalog.v1' })).to.be.at.least(3);
    expect(m.value(produced, { topic: 'strata.inventory.v1' })).to.be.at.least(3);
    expect(m.value(produced, { topic: 'strata.orders.v1' })).to.be.at.least(2);
    expect(m.value('strata_integration_messages_failed_total')).to.equal(undefined);

    expect(await worker.service.stop()).to.equal(0);
  });
});
