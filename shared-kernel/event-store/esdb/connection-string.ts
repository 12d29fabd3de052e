import { ConfigError } from '../../errors';

/** EventStoreDB's schemes, and KurrentDB's names for the same two (single node, discovery). */
export const ESDB_SCHEMES = [
  'esdb:',
  'esdb+discover:',
  'kurrentdb:',
  'kurrentdb+discover:',
  'kdb:',
  'kdb+discover:',
] as const;

/**
 * The connection string as client 6.2.1 parses it: it knows only `esdb://` and
 * `esdb+discover://`, so KurrentDB's `kurrentdb://` and `kdb://` are renamed (the rest of the
 * string means the same). Refuses what would make the adapter lie: `throwOnAppendFailure=false`
 * turns a failed append into a resolved `{ success: false }`.
 */
export function clientConnectionString(url: string): string {
  if (/[?&]throwOnAppendFailure=false(?:&|$)/i.test(url)) {
    throw new ConfigError(
      'ESDB_URL: throwOnAppendFailure=false is not supported: a refused append must fail, ' +
        'or its events would be reported as stored',
    );
  }
  return url.replace(
    /^(?:kurrentdb|kdb)(\+discover)?:\/\//i,
    (_, discover = '') => `esdb${discover}://`,
  );
}
