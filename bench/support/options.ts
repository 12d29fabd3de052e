/**
 * Benchmark options from `--name=value` arguments or `BENCH_NAME` environment variables
 * (arguments win), so a Makefile target and a person at a shell can both set them.
 */
export function benchOptions(argv: readonly string[] = process.argv.slice(2), env = process.env) {
  const args = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z][a-z0-9-]*)=(.*)$/.exec(arg);
    if (!match) throw new Error(`unrecognised argument ${arg}: expected --name=value`);
    args.set(match[1]!, match[2]!);
  }
  const raw = (name: string): string | undefined =>
    args.get(name) ?? env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];

  const positive = (name: string, value: string): number => {
    const parsed = Number(value.replace(/_/g, ''));
    if (!Number.isSafeInteger(parsed) || parsed < 1) {
      throw new Error(`--${name}: expected a positive integer, got ${JSON.stringify(value)}`);
    }
    return parsed;
  };

  return {
    /** A positive integer option; `1_000_000` and `1e6` are accepted. */
    integer(name: string, fallback: number): number {
      const value = raw(name);
      return value === undefined || value === '' ? fallback : positive(name, value);
    },
    /** A comma-separated list of positive integers (sizes, durations), e.g. `10000,100000`. */
    integers(name: string, fallback: readonly number[]): number[] {
      const value = raw(name);
      if (value === undefined || value === '') return [...fallback];
      return value.split(',').map((item) => positive(name, item));
    },
    string(name: string, fallback: string): string {
      const value = raw(name);
      return value === undefined || value === '' ? fallback : value;
    },
  };
}
