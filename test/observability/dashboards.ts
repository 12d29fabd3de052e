import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { prometheusDir } from '../support/prometheus';

export interface DashboardPanel {
  id: number;
  title: string;
  datasource: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: { refId: string; expr: string; datasource: { uid: string } }[];
}

export interface Dashboard {
  file: string;
  uid: string;
  title: string;
  panels: DashboardPanel[];
}

export const grafanaDir = () => path.join(path.dirname(prometheusDir()), 'grafana');

/** docker/grafana/dashboards/*.json, one per process, named after the process's job. */
export function dashboards(): Dashboard[] {
  const dir = path.join(grafanaDir(), 'dashboards');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Omit<Dashboard, 'file'>),
    }));
}

/** A panel's query as Prometheus runs it once Grafana has filled in its variables. */
export function asPrometheusQuery(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$instance', '.*');
}
