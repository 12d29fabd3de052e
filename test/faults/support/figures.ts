/**
 * Every fault scenario prints what it measured, one line per figure, so a run can be read (and
 * compared with the report) whether it passed or not. Lines are tagged for grepping CI logs.
 */
export function figure(scenario: string, name: string, value: number | string, unit = ''): void {
  const shown = typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(2) : value;
  process.stdout.write(`      [fault:${scenario}] ${name}: ${shown}${unit ? ` ${unit}` : ''}\n`);
}

/** Seconds since it was made, for the scenario's runtime figure. */
export function stopwatch(): () => number {
  const started = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * A scale knob: an environment variable holding a positive integer, or the default (under
 * `CI=true`, `ciFallback` when given: all fault scenarios share a budget of about 10 minutes on
 * a 2-core runner). A bad value fails the run at once rather than silently running another size.
 */
export function knob(name: string, fallback: number, ciFallback = fallback): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return process.env.CI === 'true' ? ciFallback : fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}
