import { IsOmittable, IsPattern, IsSubject } from '../../shared-kernel/http/field-rules';
import { IsCursor, IsIsoTime, IsOneOf, IsPageSize, IsVersion } from '../http/param-rules';
import { AUDIT_TYPES, type AuditType } from './audit-queries';

export class HistoryQuery {
  @IsOmittable() @IsIsoTime() from?: string;
  @IsOmittable() @IsIsoTime() to?: string;
  @IsOmittable() @IsCursor() cursor?: string;
  @IsOmittable() @IsPageSize() limit?: string;
}

/** Exactly one of the two; the route checks that, naming both. */
export class StateQuery {
  @IsOmittable() @IsIsoTime() asOf?: string;
  @IsOmittable() @IsVersion() version?: string;
}

export class DiffQuery {
  @IsVersion() fromVersion!: string;
  @IsVersion() toVersion!: string;
}

export class EventsQuery {
  /** An actor is an `X-Actor` value or a token subject; the subject rule admits both. */
  @IsOmittable() @IsSubject() actor?: string;
  @IsOmittable()
  @IsPattern(/^[A-Z][A-Za-z0-9]{0,99}$/, 'an event type name such as ProductPriceChanged')
  eventType?: string;
  @IsOmittable() @IsOneOf(AUDIT_TYPES) type?: AuditType;
  @IsOmittable() @IsIsoTime() from?: string;
  @IsOmittable() @IsIsoTime() to?: string;
  @IsOmittable() @IsCursor() cursor?: string;
  @IsOmittable() @IsPageSize() limit?: string;
}
