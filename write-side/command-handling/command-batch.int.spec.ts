import { expect } from 'chai';
import { ConflictError } from '../../shared-kernel/errors';
import type { CommandRequest } from './command-request';
import {
  openHandlerFixture,
  receiveStockRequest,
  testContext,
  type HandlerFixture,
} from './command-handler.fixtures';

const adjust = (sku: string, quantity: number, commandId: string): CommandRequest => ({
  aggregate: 'stock',
  commandId,
  context: testContext(),
  command: { type: 'AdjustStock', data: { sku, quantity, reason: 'count' } },
});

describe('a batch of commands to one stream (executeAll, real SQLite store)', () => {
  let batched: HandlerFixture;
  let oneByOne: HandlerFixture;
  beforeEach(() => {
    batched = openHandlerFixture();
    oneByOne = openHandlerFixture();
  });
  afterEach(async () => {
    await batched.close();
    await oneByOne.close();
  });

  it('appends in one go exactly what the same commands append one by one, refusals included', async () => {
    const receive = receiveStockRequest('BATCH-1', 5);
    const requests = [
      receive,
      adjust('BATCH-1', -3, 'c0a80001-0000-4000-8000-000000000001'),
      adjust('BATCH-1', -10, 'c0a80001-0000-4000-8000-000000000002'),
      adjust('BATCH-1', -2, 'c0a80001-0000-4000-8000-000000000003'),
    ];
    const outcomes = await batched.handler().executeAll(requests);
    expect(outcomes.map((o) => ('refused' in o ? 'refused' : o.appended))).to.deep.equal([
      1,
      1,
      'refused',
      1,
    ]);
    const refusal = outcomes[2] as { refused: unknown };
    expect(refusal.refused).to.be.instanceOf(ConflictError);

    const single = oneByOne.handler();
    for (const request of requests) await single.execute(request).catch(() => undefined);
    const shape = (events: Awaited<ReturnType<HandlerFixture['allEvents']>>) =>
      events.map(({ eventId, type, data, revision }) => ({ eventId, type, data, revision }));
    const stored = await batched.streamEvents('stock-BATCH-1');
    expect(shape(stored)).to.deep.equal(shape(await oneByOne.streamEvents('stock-BATCH-1')));
    // One append: every event of the batch committed at the same time, at consecutive positions.
    expect(new Set(stored.map((e) => e.recordedAt)).size).to.equal(1);
    const state = (await batched.handler().load('stock', 'BATCH-1')).state;
    expect(state.onHand).to.equal(0);
  });

  it('refuses commands to several streams, or with If-Match, before anything is read', () => {
    const handler = batched.handler();
    expect(() =>
      handler.executeAll([receiveStockRequest('BATCH-2', 1), receiveStockRequest('BATCH-3', 1)]),
    ).to.throw(TypeError, /stock-BATCH-2 only/);
    const conditional = { ...receiveStockRequest('BATCH-2', 1), ifMatch: { any: true as const } };
    expect(() => handler.executeAll([conditional])).to.throw(TypeError, /If-Match/);
  });
});
