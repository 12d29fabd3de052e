import { expect } from 'chai';
import { skipOrFail } from '../support/availability';
import { eventually } from '../support/eventually';
import { prometheusInstalled, startPrometheus, type TestPrometheus } from '../support/prometheus';
import { runningSystem, settled, smallShop, type RunningSystem } from '../support/running-system';
import { asPrometheusQuery, dashboards } from './dashboards';

const host = (base: string) => base.replace(/^http:\/\//, '');

/**
 * The three processes as `make run` starts them (embedded stores, one data dir, free ports),
 * scraped by a real Prometheus running docker/prometheus/ with second-long intervals and `for:`.
 * A SIGSTOPped worker still holds its port but answers nothing, the nastiest way to stop.
 */
describe('Prometheus scraping the three processes, and the lag alert of a stopped worker', function () {
  this.timeout(120_000);
  let system: RunningSystem;
  let prometheus: TestPrometheus | null = null;
  let frozenWorker: number | null = null;

  before(function () {
    if (!prometheusInstalled()) {
      skipOrFail(this, 'prometheus is not installed (apt-get install prometheus)', true);
    }
    system = runningSystem();
  });
  after(async () => {
    if (frozenWorker !== null) process.kill(frozenWorker, 'SIGCONT');
    await prometheus?.stop();
    await system?.stopAll();
  });

  it('finds every target up, then fires StrataProjectionLag while the worker is stopped and events are appended', async () => {
    const command = await system.start('command');
    const worker = await system.start('worker');
    await smallShop(command.base, 2);
    await settled(worker.base);
    const query = await system.start('query');
    prometheus = await startPrometheus({
      targets: {
        'command-api': host(command.base),
        'query-api': host(query.base),
        worker: host(worker.base),
      },
      interval: '1s',
      alertFor: '3s',
      range: '1m',
    });
    const p = prometheus;
    let targets: Awaited<ReturnType<TestPrometheus['targets']>> = [];
    await eventually(
      'all three targets up',
      async () => {
        targets = await p.targets();
        return targets.length === 3 && targets.every((t) => t.health === 'up');
      },
      { timeoutMs: 30_000, intervalMs: 250, describe: () => JSON.stringify(targets) },
    );
    expect(targets.map((t) => t.job)).to.have.members(['command-api', 'query-api', 'worker']);

    // Traffic Prometheus sees as an increase, with the worker keeping up: no lag alert.
    await smallShop(command.base, 2);
    await settled(worker.base);
    const appended = 'sum(increase(strata_events_appended_total{job="command-api"}[1m]))';
    await eventually('Prometheus to see events appended', async () => {
      const [sample] = await p.query(appended);
      return (sample?.value ?? 0) > 0;
    });
    const lagSeries = await p.query('strata_projection_lag_seconds{job="worker"}');
    expect(lagSeries.map((s) => s.labels.processor)).to.include.members(['products', 'orders']);
    const beats = await p.query('time() - strata_projection_heartbeat_timestamp_seconds');
    expect(beats.map((s) => s.labels.processor)).to.have.members(
      lagSeries.map((s) => s.labels.processor),
    );
    for (const beat of beats) expect(beat.value, beat.labels.processor).to.be.below(30);
    // Every dashboard panel is a query this Prometheus accepts (a typo would be an error).
    for (const dashboard of dashboards()) {
      for (const panel of dashboard.panels) {
        for (const { expr } of panel.targets) {
          await p.query(asPrometheusQuery(expr)).catch((error: Error) => {
            throw new Error(`${dashboard.file} "${panel.title}": ${error.message}`);
          });
        }
      }
    }
    const lagAlerts = async () =>
      (await p.alerts()).filter((a) => a.labels.alertname === 'StrataProjectionLag');
    // A few evaluations with the increase in view and the worker up. (One scrape a loaded
    // machine answers late may make it pending for a moment; firing takes 3 s of silence.)
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect((await lagAlerts()).filter((a) => a.state === 'firing')).to.deep.equal([]);

    frozenWorker = worker.service.child.pid!;
    process.kill(frozenWorker, 'SIGSTOP');
    await smallShop(command.base, 1);
    let alerts: Awaited<ReturnType<typeof lagAlerts>> = [];
    await eventually(
      'StrataProjectionLag firing for the stopped worker',
      async () => {
        alerts = await lagAlerts();
        return alerts.some((a) => a.state === 'firing');
      },
      { timeoutMs: 40_000, intervalMs: 250, describe: () => JSON.stringify(alerts) },
    );
    expect(alerts[0]!.labels).to.include({ cause: 'worker-not-reporting', severity: 'critical' });
    expect(Number(alerts[0]!.value)).to.be.greaterThan(0);
    const workerTarget = (await p.targets()).find((t) => t.job === 'worker');
    expect(workerTarget?.health).to.equal('down');

    // Resumed, the worker catches up and reports again: the alert clears.
    process.kill(frozenWorker, 'SIGCONT');
    frozenWorker = null;
    await settled(worker.base);
    await eventually('StrataProjectionLag to clear', async () => (await lagAlerts()).length === 0, {
      timeoutMs: 40_000,
      intervalMs: 250,
      describe: async () => JSON.stringify(await lagAlerts()),
    });
  });
});
