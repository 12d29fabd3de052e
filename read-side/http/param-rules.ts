import { ValidateBy, type ValidationOptions } from 'class-validator';
import type { RuleSchema } from '../../shared-kernel/http/openapi';
import type { Schema } from '../../shared-kernel/http/routes';

/**
 * Rules for query parameters. Every parameter arrives as a string (query-params.ts refuses
 * arrays and bracketed keys first), so each rule checks the text and the route converts it
 * afterwards: there is no implicit conversion that could turn `"1e3"` or `" 5"` into a number.
 */
function textRule(
  name: string,
  test: (value: string) => boolean,
  message: string,
  constraints: unknown[] = [],
) {
  return (options?: ValidationOptions) =>
    ValidateBy(
      {
        name,
        constraints,
        validator: {
          validate: (value: unknown) => typeof value === 'string' && test(value),
          defaultMessage: () => message,
        },
      },
      options,
    );
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

const PAGE_SIZE = /^[1-9][0-9]{0,2}$/;
/** Cursors are base64url; anything else is refused before a store tries to decode it. */
const CURSOR = /^[A-Za-z0-9_-]{1,2048}$/;
const WHOLE_NUMBER = /^(0|[1-9][0-9]{0,14})$/;
const CONTROL_CHARACTERS = /[\p{Cc}\p{Cs}]/u;

export const IsPageSize = textRule(
  'isPageSize',
  (v) => PAGE_SIZE.test(v) && Number(v) <= MAX_PAGE_SIZE,
  `must be an integer from 1 to ${MAX_PAGE_SIZE}`,
);

export const IsCursor = textRule(
  'isCursor',
  (v) => CURSOR.test(v),
  'must be a cursor returned by a previous page of this query',
);

/** Integer minor units, as prices are stored. */
export const IsMinorUnits = textRule(
  'isMinorUnits',
  (v) => WHOLE_NUMBER.test(v),
  'must be a whole number of minor units (0 or more, digits only)',
);

/** A stream revision: 0-based. */
export const IsVersion = textRule(
  'isVersion',
  (v) => WHOLE_NUMBER.test(v),
  'must be a version: a whole number, 0 or more',
);

export const IsIsoTime = textRule(
  'isIsoTime',
  (v) => isoTimeToUtc(v) !== null,
  'must be an ISO 8601 date (2024-05-01) or time with a zone (2024-05-01T10:00:00Z)',
);

export function IsOneOf(values: readonly string[], options?: ValidationOptions) {
  return textRule(
    'isOneOf',
    (v) => values.includes(v),
    `must be one of ${values.join(', ')}`,
  )(options);
}

/** Free text of at most `max` characters, blank allowed, without control characters. */
export function IsPlainText(max: number, options?: ValidationOptions) {
  return textRule(
    'isPlainText',
    (v) => [...v].length <= max && !CONTROL_CHARACTERS.test(v),
    `must be plain text of at most ${max} characters without control characters`,
    [max],
  )(options);
}

const digits = (description: string): Schema => ({
  type: 'string',
  pattern: WHOLE_NUMBER.source,
  description,
});

/** The JSON Schema of each rule above, for the OpenAPI document; every parameter is text. */
export const QUERY_RULE_SCHEMAS: Record<string, RuleSchema> = {
  isPageSize: {
    type: 'string',
    pattern: PAGE_SIZE.source,
    description: `page size, 1 to ${MAX_PAGE_SIZE}`,
  },
  isCursor: {
    type: 'string',
    pattern: CURSOR.source,
    description: 'opaque: the nextCursor of the previous page of the same query',
  },
  isMinorUnits: digits('integer minor units'),
  isVersion: digits('a stream version, 0-based'),
  isIsoTime: { type: 'string', description: 'ISO 8601 date (2024-05-01) or time with a zone' },
  isOneOf: { type: 'string' },
  isPlainText: ([max]) => ({
    type: 'string',
    maxLength: max,
    description: 'plain text, never a query language',
  }),
};

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * The UTC ISO form (`toISOString`) of an ISO 8601 date or zoned time, or null. Stored times are
 * in that form, so converted bounds compare correctly as strings. A time without a zone is
 * refused: it would mean whatever zone the server runs in.
 */
export function isoTimeToUtc(text: string): string | null {
  const match = ISO_TIME.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  const millis = Date.parse(match[4] === undefined ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(millis)) return null;
  // Date.parse rolls 2024-02-30 over to March; a real calendar date reads back unchanged.
  const probe = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (probe.getUTCMonth() !== Number(month) - 1 || probe.getUTCDate() !== Number(day)) return null;
  if (Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59) return null;
  return new Date(millis).toISOString();
}
