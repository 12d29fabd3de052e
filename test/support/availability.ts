/**
 * A suite whose server is missing says so loudly and skips; under CI (`CI=true`) the servers it
 * lists as required are installed by .ci/run, so their absence is a failure, not a skip.
 */
export function skipOrFail(context: Mocha.Context, reason: string, requiredInCi: boolean): never {
  const banner = `\n  !!! SKIPPED: ${reason}\n`;
  if (requiredInCi && process.env.CI === 'true') {
    throw new Error(`${reason}, and CI=true requires it`);
  }
  process.stderr.write(banner);
  context.skip();
}
