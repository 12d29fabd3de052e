import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `condition` until it holds; past `timeoutMs` it fails naming what was awaited and the
 * last value `describe` gives, so a timed-out spec says how far things got.
 */
export async function eventually(
  what: string,
  condition: () => Promise<boolean> | boolean,
  options: {
    timeoutMs?: number;
    intervalMs?: number;
    describe?: () => Promise<string> | string;
  } = {},
): Promise<void> {
  const { timeoutMs = 20_000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      const state = options.describe ? `: ${await options.describe()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state}`);
    }
    await sleep(intervalMs);
  }
}
