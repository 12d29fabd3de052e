import { Command, InvalidArgumentError } from 'commander';
import { commonConfig } from '../../shared-kernel/config/common';
import { readConfig } from '../../shared-kernel/config/env';
import { documentStoreConfig, openDocumentStore } from '../../shared-kernel/document-store/open';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { createLogger } from '../../shared-kernel/logging/logger';
import { aggregateDiff } from '../../read-side/audit/audit-diff';
import { aggregateState } from '../../read-side/audit/aggregate-state';
import {
  AUDIT_TYPES,
  aggregateHistory,
  auditEvents,
  type AuditType,
} from '../../read-side/audit/audit-queries';
import { isoTimeToUtc, MAX_PAGE_SIZE } from '../../read-side/http/param-rules';

/**
 * `strata audit history|state|diff|events`: the query API's temporal audit answers, read from
 * the read models directly (no HTTP, no event store) with the same query functions.
 */
export function registerAuditCommand(program: Command): void {
  const audit = program
    .command('audit')
    .description('temporal audit queries over the audit trail read model');
  const time = (flag: string) => (value: string) => {
    const utc = isoTimeToUtc(value);
    if (utc === null)
      throw new InvalidArgumentError(`${flag} must be an ISO 8601 date or zoned time`);
    return utc;
  };
  const whole =
    (flag: string, max = Number.MAX_SAFE_INTEGER) =>
    (value: string) => {
      if (!/^(0|[1-9]\d{0,14})$/.test(value) || Number(value) > max) {
        throw new InvalidArgumentError(`${flag} must be a whole number from 0 to ${max}`);
      }
      return Number(value);
    };
  const type = (value: string): AuditType => {
    if (!(AUDIT_TYPES as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`type must be one of ${AUDIT_TYPES.join(', ')}`);
    }
    return value as AuditType;
  };
  const limit = whole('--limit', MAX_PAGE_SIZE);

  audit
    .command('history')
    .description("an aggregate's events in order")
    .argument('<type>', AUDIT_TYPES.join('|'), type)
    .argument('<id>', 'product or order id (UUID), or a SKU for stock')
    .option('--from <time>', 'events at or after (ISO 8601)', time('--from'))
    .option('--to <time>', 'events at or before (ISO 8601)', time('--to'))
    .option('--limit <n>', `page size (1-${MAX_PAGE_SIZE})`, limit, 20)
    .option('--cursor <cursor>', 'nextCursor of the previous page')
    .option('--json', 'print JSON')
    .action((t: AuditType, id: string, o: Record<string, never>) =>
      withStore(o.json, (store) => aggregateHistory(store, t, id, pageOf(o))),
    );
  audit
    .command('state')
    .description('the aggregate state as of a time or at a version')
    .argument('<type>', AUDIT_TYPES.join('|'), type)
    .argument('<id>', 'product or order id (UUID), or a SKU for stock')
    .option('--as-of <time>', 'state as it was at this time (ISO 8601)', time('--as-of'))
    .option('--version <n>', 'state after this version', whole('--version'))
    .option('--json', 'print JSON')
    .action((t: AuditType, id: string, o: { asOf?: string; version?: number; json?: boolean }) => {
      if ((o.asOf === undefined) === (o.version === undefined)) {
        process.stderr.write('strata audit state: give exactly one of --as-of or --version\n');
        throw new InvalidArgumentError('give exactly one of --as-of or --version');
      }
      const at = o.asOf !== undefined ? { asOf: o.asOf } : { version: o.version as number };
      return withStore(o.json, (store) => aggregateState(store, t, id, at));
    });
  audit
    .command('diff')
    .description('fields changed between two versions, with the events in between')
    .argument('<type>', AUDIT_TYPES.join('|'), type)
    .argument('<id>', 'product or order id (UUID), or a SKU for stock')
    .requiredOption('--from-version <n>', 'older version', whole('--from-version'))
    .requiredOption('--to-version <n>', 'newer version', whole('--to-version'))
    .option('--json', 'print JSON')
    .action(
      (t: AuditType, id: string, o: { fromVersion: number; toVersion: number; json?: boolean }) =>
        withStore(o.json, (store) => aggregateDiff(store, t, id, o.fromVersion, o.toVersion)),
    );
  audit
    .command('events')
    .description('events across aggregates, newest first')
    .option('--actor <actor>', 'who did it')
    .option('--event-type <type>', 'an event type such as ProductPriceChanged')
    .option('--type <type>', AUDIT_TYPES.join('|'), type)
    .option('--from <time>', 'at or after (ISO 8601)', time('--from'))
    .option('--to <time>', 'at or before (ISO 8601)', time('--to'))
    .option('--limit <n>', `page size (1-${MAX_PAGE_SIZE})`, limit, 20)
    .option('--cursor <cursor>', 'nextCursor of the previous page')
    .option('--json', 'print JSON')
    .action((o: Record<string, never>) =>
      withStore(o.json, (store) =>
        auditEvents(store, {
          ...pageOf(o),
          ...defined({ actor: o.actor, eventType: o.eventType, type: o.type }),
        }),
      ),
    );
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

function pageOf(o: { from?: string; to?: string; cursor?: string; limit?: number }) {
  return { ...defined({ from: o.from, to: o.to, cursor: o.cursor }), limit: o.limit ?? 20 };
}

async function withStore(
  json: boolean | undefined,
  query: (store: DocumentStore) => Promise<unknown>,
) {
  const config = readConfig(process.env, { ...commonConfig, ...documentStoreConfig });
  const logger = createLogger({
    service: 'strata-cli',
    level: 'warn',
    format: config.logFormat,
    stream: process.stderr,
  });
  const store = await openDocumentStore(config, logger);
  try {
    const answer = await query(store);
    process.stdout.write(
      json ? `${JSON.stringify(answer)}\n` : `${JSON.stringify(answer, null, 2)}\n`,
    );
  } finally {
    await store.close();
  }
}
