import { ValidationError } from '../../shared-kernel/errors';
import {
  cloudEventHeaders,
  INTEGRATION_TOPICS,
  type IntegrationMessage,
  type JsonObject,
} from '../../shared-kernel/integration/port';
import type { Money } from '../../shared-kernel/money';
import { cloudEventTraceHeaders } from '../../shared-kernel/tracing/trace-context';
import type { PublicMoney } from './public-events';
import type { SourceFacts } from './mapping';

export type Context = keyof typeof INTEGRATION_TOPICS;

/** The message of one public event: topic per context, key = aggregate id, CloudEvents. */
export function message(
  context: Context,
  type: string,
  source: SourceFacts,
  { key, subject }: { key: string; subject: string },
  value: JsonObject,
): IntegrationMessage {
  return {
    topic: INTEGRATION_TOPICS[context],
    key,
    value,
    headers: cloudEventHeaders({
      id: source.eventId,
      source: `/strata/${context}`,
      type: `strata.${context}.${type}.v1`,
      time: source.metadata.occurredAt,
      subject,
      trace: cloudEventTraceHeaders(source.metadata),
    }),
  };
}

export function publicMoney(money: Money): PublicMoney {
  return { amount: money.amount, currency: money.currency };
}

/** The mirror folded nothing before an event that needs an existing aggregate: a bug there. */
export function missingState(
  event: SourceFacts & { type: string },
  aggregate: string,
): ValidationError {
  return new ValidationError([
    {
      field: 'state',
      message: `event ${event.eventId} (${event.type}) needs the ${aggregate} state after it`,
    },
  ]);
}
