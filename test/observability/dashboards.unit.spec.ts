import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { prometheusDir } from '../support/prometheus';
import { dashboards, grafanaDir } from './dashboards';

describe('docker/grafana: one provisioned dashboard per process', () => {
  const all = dashboards();
  const jobs = [
    ...readFileSync(path.join(prometheusDir(), 'prometheus.yml'), 'utf8').matchAll(
      /job_name: (\S+)/g,
    ),
  ].map((m) => m[1]!);

  it('has a dashboard for each scrape job, each with its own uid', () => {
    expect(all.map((d) => d.file)).to.have.members(jobs.map((job) => `${job}.json`));
    expect(new Set(all.map((d) => d.uid)).size).to.equal(all.length);
  });

  it('queries only the provisioned data source and only its own job', () => {
    const datasources = readFileSync(
      path.join(grafanaDir(), 'provisioning', 'datasources', 'prometheus.yml'),
      'utf8',
    );
    const uid = /uid: (\S+)/.exec(datasources)![1];
    for (const dashboard of all) {
      const job = dashboard.file.replace(/\.json$/, '');
      for (const panel of dashboard.panels) {
        expect(panel.datasource.uid, panel.title).to.equal(uid);
        expect(panel.targets.length, panel.title).to.be.greaterThan(0);
        for (const target of panel.targets) {
          expect(target.datasource.uid).to.equal(uid);
          const jobs = [...target.expr.matchAll(/job="([^"]+)"/g)].map((m) => m[1]);
          expect(jobs.length, `${dashboard.file}: ${target.expr}`).to.be.greaterThan(0);
          expect(new Set(jobs), `${dashboard.file}: ${target.expr}`).to.deep.equal(new Set([job]));
        }
      }
    }
  });

  it('lays panels out on the 24-column grid without overlaps', () => {
    for (const dashboard of all) {
      expect(new Set(dashboard.panels.map((p) => p.id)).size).to.equal(dashboard.panels.length);
      const taken = new Set<string>();
      for (const { title, gridPos } of dashboard.panels) {
        expect(gridPos.x + gridPos.w, `${dashboard.file}: ${title}`).to.be.at.most(24);
        for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
          for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
            expect(taken.has(`${x},${y}`), `${dashboard.file}: ${title} overlaps`).to.equal(false);
            taken.add(`${x},${y}`);
          }
        }
      }
    }
  });
});
