import type { Env } from './env';

/** What every child inherits: what the OS and Node need to run a program, nothing more. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'] as const;

/**
 * The variables a Strata process reads (its configuration table in the README): the store and
 * broker URLs with their credentials, OpenTelemetry's standard variables, and Node's own.
 */
const STRATA_CONFIG_PREFIXES = [
  'STRATA_',
  'ESDB_',
  'MONGO_',
  'ELASTICSEARCH_',
  'REDIS_',
  'KAFKA_',
  'OTEL_',
  'NODE_',
  'LOG_LEVEL',
] as const;

function defined(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}

/**
 * A child's environment built from an allow-list: the basics from `parent`, then exactly what the
 * caller passes in `own` (an undefined value leaves the variable out). Anything else the parent
 * holds (another service's secret, a server URL meant for the parent alone) never reaches it.
 */
export function childEnv(parent: Env, own: Env = {}): Record<string, string> {
  const basics: Env = Object.fromEntries(INHERITED.map((name) => [name, parent[name]]));
  return defined({ ...basics, ...own });
}

/**
 * The environment `strata run` gives the processes it supervises: the basics and every variable
 * of Strata's configuration, so each child reads the same configuration its parent was given.
 */
export function strataProcessEnv(parent: Env): Record<string, string> {
  const config = Object.entries(parent).filter(([name]) =>
    STRATA_CONFIG_PREFIXES.some((prefix) => name.startsWith(prefix)),
  );
  return childEnv(parent, Object.fromEntries(config));
}
