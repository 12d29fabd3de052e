import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { ValidationError } from '../../shared-kernel/errors';
import { AUDIT_COLLECTION, type AuditEntry } from '../../projections/read-models/audit';
import { diffStates, type StateChange } from '../../projections/read-models/state-diff';
import { aggregateState, type AggregateState } from './aggregate-state';
import { auditEvent, type AuditEvent, type AuditType } from './audit-queries';

/** A diff lists its events in one answer; wider spans are asked for in steps. */
export const MAX_DIFF_SPAN = 1000;

type AggregateVersion = Pick<AggregateState, 'version' | 'occurredAt' | 'recordedAt'>;

export interface AggregateDiff {
  aggregateType: AuditType;
  aggregateId: string;
  from: AggregateVersion;
  to: AggregateVersion;
  changes: StateChange[];
  /** The events after `fromVersion` up to and including `toVersion`. */
  events: AuditEvent[];
}

export async function aggregateDiff(
  documents: DocumentStore,
  type: AuditType,
  id: string,
  fromVersion: number,
  toVersion: number,
): Promise<AggregateDiff> {
  if (toVersion < fromVersion) {
    throw new ValidationError([{ field: 'toVersion', message: 'must not be below fromVersion' }]);
  }
  if (toVersion - fromVersion > MAX_DIFF_SPAN) {
    throw new ValidationError([
      {
        field: 'toVersion',
        message: `must be at most ${MAX_DIFF_SPAN} versions after fromVersion`,
      },
    ]);
  }
  const [before, after] = await Promise.all([
    aggregateState(documents, type, id, { version: fromVersion }),
    aggregateState(documents, type, id, { version: toVersion }),
  ]);
  const between =
    toVersion === fromVersion
      ? []
      : (
          await documents.find<AuditEntry>(AUDIT_COLLECTION, {
            where: {
              aggregateType: type,
              aggregateId: id,
              version: { gt: fromVersion, lte: toVersion },
            },
            sort: [{ field: 'version', direction: 'asc' }],
            limit: toVersion - fromVersion,
          })
        ).items;
  return {
    aggregateType: type,
    aggregateId: id,
    from: versionOf(before),
    to: versionOf(after),
    changes: diffStates(before.state, after.state),
    events: between.map(auditEvent),
  };
}

function versionOf({ version, occurredAt, recordedAt }: AggregateState): AggregateVersion {
  return { version, occurredAt, recordedAt };
}
