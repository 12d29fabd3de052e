import type { ConfigSpec, Env } from './env';

/** What any Node child needs of its parent's environment to run at all. */
const PROCESS_BASICS = [
  'PATH',
  'HOME',
  'TMPDIR',
  'TZ',
  'LANG',
  'LC_ALL',
  'NODE_OPTIONS',
  'NODE_EXTRA_CA_CERTS',
] as const;

/**
 * A child's environment from an allow-list: the process basics plus the variables the given
 * configuration specs read, and nothing else of `env` (no stray secrets or server URLs).
 */
export function childEnvironment(
  env: Env,
  specs: readonly ConfigSpec[] = [],
): Record<string, string> {
  const allowed = new Set<string>(PROCESS_BASICS);
  for (const spec of specs) for (const variable of Object.values(spec)) allowed.add(variable.name);
  const picked: Record<string, string> = {};
  for (const name of allowed) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
