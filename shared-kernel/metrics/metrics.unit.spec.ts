import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { IntegrationMessage, IntegrationPublisher } from '../integration/port';
import { countingCommands } from './command-metrics';
import { httpMetrics } from './http-metrics';
import { processorMetrics, type ObservedProcessor } from './processor-metrics';
import { countingPublisher } from './publisher-metrics';
import { createMetricsRegistry, metricsHandler, type Registry } from './registry';
import { parseExposition } from './scrape.fixtures';

const read = async (registry: Registry) => parseExposition(await registry.metrics());

describe('metrics', () => {
  it('a fresh registry has the process metrics and nothing shared with another', async () => {
    const a = createMetricsRegistry();
    const b = createMetricsRegistry();
    countingCommands(async () => ({ id: 'x' }), a);
    expect((await read(a)).value('process_cpu_user_seconds_total')).to.be.a('number');
    expect((await read(b)).text).not.to.include('strata_commands_total');
  });

  it('counts commands by type and outcome, with the rule of a rejection', async () => {
    const registry = createMetricsRegistry();
    const failures: Record<string, Error> = {
      Dup: new ConflictError('duplicate-sku', 'taken'),
      Bad: new ValidationError([{ field: 'x', message: 'no' }]),
      Gone: new NotFoundError('none'),
      Boom: new Error('disk on fire'),
    };
    const run = countingCommands(async (r: { command: { type: string } }) => {
      const failure = failures[r.command.type];
      if (failure) throw failure;
      return { id: r.command.type };
    }, registry);
    for (const type of ['Ok', 'Ok', 'Dup', 'Bad', 'Gone', 'Boom']) {
      await run({ command: { type } }).catch(() => undefined);
    }
    const m = await read(registry);
    expect(m.value('strata_commands_total', { command: 'Ok', outcome: 'ok' })).to.equal(2);
    expect(
      m.value('strata_commands_total', { outcome: 'rejected', rule: 'duplicate-sku' }),
    ).to.equal(1);
    expect(m.value('strata_commands_total', { command: 'Bad', outcome: 'invalid' })).to.equal(1);
    expect(m.value('strata_commands_total', { command: 'Gone', rule: 'not-found' })).to.equal(1);
    expect(m.value('strata_commands_total', { command: 'Boom', outcome: 'error' })).to.equal(1);
  });

  it('counts published and failed messages per topic, passing the failure on', async () => {
    const registry = createMetricsRegistry();
    let down = false;
    const inner: IntegrationPublisher = {
      publish: async () => {
        if (down) throw new Error('broker down');
      },
      ping: async () => undefined,
      close: async () => undefined,
    };
    const publisher = countingPublisher(inner, registry);
    const msg = (topic: string) => ({ topic }) as IntegrationMessage;
    await publisher.publish([msg('a'), msg('a'), msg('b')]);
    down = true;
    const failure = await publisher.publish([msg('b'), msg('b')]).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).to.equal('broker down');
    const m = await read(registry);
    expect(m.value('strata_integration_messages_produced_total', { topic: 'a' })).to.equal(2);
    expect(m.value('strata_integration_messages_produced_total', { topic: 'b' })).to.equal(1);
    expect(m.value('strata_integration_messages_failed_total', { topic: 'b' })).to.equal(2);
  });

  it('reads processor gauges at scrape time; the checkpoint only where positions are dense', async () => {
    const statuses: ObservedProcessor[] = [
      {
        name: 'products',
        checkpoint: '000000000000002a',
        lagEvents: 3,
        lagSeconds: 1.5,
        parkedStreams: 1,
        heartbeatAt: '2026-01-15T12:00:01.500Z',
        state: 'catching-up',
        lease: { owner: 'w1', token: 3, ageSeconds: 0.4 },
      },
      {
        name: 'search',
        checkpoint: null,
        lagEvents: null,
        lagSeconds: 0,
        parkedStreams: 0,
        heartbeatAt: '2026-01-15T12:00:00.000Z',
        state: 'caught-up',
        lease: null,
      },
      {
        name: 'orders',
        checkpoint: null,
        lagEvents: 9,
        lagSeconds: 0,
        parkedStreams: 0,
        heartbeatAt: '2026-01-15T12:00:00.000Z',
        state: 'standby',
        lease: { owner: 'w2', token: 7, ageSeconds: 0.2 },
      },
    ];
    const dense = createMetricsRegistry();
    const observer = processorMetrics(dense, {
      statuses: () => statuses,
      checkpointNumber: (p) => Number.parseInt(p, 16),
    });
    observer.batchCommitted('products', 40, 12);
    observer.batchCommitted('products', 2, 3);
    let m = await read(dense);
    expect(m.value('strata_projection_events_processed_total', { processor: 'products' })).to.equal(
      42,
    );
    expect(
      m.value('strata_projection_batch_duration_seconds_count', { processor: 'products' }),
    ).to.equal(2);
    expect(m.value('strata_projection_checkpoint', { processor: 'products' })).to.equal(42);
    expect(m.value('strata_projection_lag_events', { processor: 'products' })).to.equal(3);
    expect(m.value('strata_projection_lag_events', { processor: 'search' })).to.equal(undefined);
    expect(m.value('strata_projection_lag_seconds', { processor: 'products' })).to.equal(1.5);
    expect(m.value('strata_projection_parked_streams', { processor: 'products' })).to.equal(1);
    const beat = 'strata_projection_heartbeat_timestamp_seconds';
    expect(m.value(beat, { processor: 'products' })).to.equal(
      Date.UTC(2026, 0, 15, 12, 0, 1, 500) / 1000,
    );
    expect(m.value(beat, { processor: 'search' })).to.equal(Date.UTC(2026, 0, 15, 12) / 1000);
    // Leases: token and age for what this worker runs, the owner of every processor.
    expect(m.value('strata_projection_lease_token', { processor: 'products' })).to.equal(3);
    expect(m.value('strata_projection_lease_age_seconds', { processor: 'products' })).to.equal(0.4);
    const owner = 'strata_projection_lease_owner';
    expect(m.value(owner, { processor: 'products', worker: 'w1' })).to.equal(1);
    expect(m.value(owner, { processor: 'orders', worker: 'w2' })).to.equal(1);
    expect(m.value(owner, { processor: 'search', worker: '' })).to.equal(1);
    // A standby processor's progress is its owner's to export.
    expect(m.value('strata_projection_lag_events', { processor: 'orders' })).to.equal(undefined);
    expect(m.value('strata_projection_lease_token', { processor: 'orders' })).to.equal(undefined);
    observer.commitFenced?.('products');
    m = await read(dense);
    expect(m.value('strata_projection_fenced_batches_total', { processor: 'products' })).to.equal(
      1,
    );
    statuses[0]!.lagEvents = 0;
    m = await read(dense);
    expect(m.value('strata_projection_lag_events', { processor: 'products' })).to.equal(0);

    const sparse = createMetricsRegistry();
    processorMetrics(sparse, { statuses: () => statuses });
    expect((await read(sparse)).text).not.to.include('strata_projection_checkpoint');
  });

  it('labels request durations by route template, never by the raw URL', async () => {
    const registry = createMetricsRegistry();
    const app = express();
    const router = express.Router();
    router.get('/products/:id', (_q, r) => void r.json({}));
    app.use(httpMetrics(registry), router);
    app.get('/metrics', metricsHandler(registry));
    await request(app).get('/products/1').expect(200);
    await request(app).get('/products/2').expect(200);
    await request(app).get('/nowhere/3').expect(404);
    const m = parseExposition((await request(app).get('/metrics')).text);
    const routes = m.labelSets('strata_http_request_duration_seconds_count').map((l) => l.route);
    expect(routes).to.have.members(['/products/:id', 'unmatched']);
    expect(
      m.value('strata_http_request_duration_seconds_count', {
        route: '/products/:id',
        status: '200',
      }),
    ).to.equal(2);
  });
});
