import type { DocumentStore, JsonValue } from '../../shared-kernel/document-store/port';
import { ConflictError, NotFoundError } from '../../shared-kernel/errors';
import {
  AUDIT_COLLECTION,
  checkpointAtOrBefore,
  type AuditEntry,
} from '../../projections/read-models/audit';
import { foldTrail } from '../../projections/read-models/audit-state';
import type { AuditType } from './audit-queries';

export interface AggregateState {
  aggregateType: AuditType;
  aggregateId: string;
  /** The version the state reflects: the revision of the last event folded in. */
  version: number;
  /** When that event happened, and when the event store recorded it. */
  occurredAt: string;
  recordedAt: string;
  position: string;
  state: JsonValue;
}

export type StateAt = { asOf: string } | { version: number };

/**
 * The state after event `version`, or after the aggregate's latest event that occurred at or
 * before `asOf` (by occurrence time, then version). Folded from the state checkpoint at or
 * before that version, so a query reads at most `AUDIT_STATE_EVERY` entries however long the
 * history.
 */
export async function aggregateState(
  documents: DocumentStore,
  type: AuditType,
  id: string,
  at: StateAt,
): Promise<AggregateState> {
  const version = 'version' in at ? at.version : await versionAsOf(documents, type, id, at.asOf);
  const checkpoint = checkpointAtOrBefore(version);
  const { items: trail } = await documents.find<AuditEntry>(AUDIT_COLLECTION, {
    where: { aggregateType: type, aggregateId: id, version: { gte: checkpoint, lte: version } },
    sort: [{ field: 'version', direction: 'asc' }],
    limit: version - checkpoint + 1,
  });
  const entry = trail.at(-1);
  if (entry?.version !== version)
    throw new NotFoundError(`${type} ${id} has no version ${version}`);
  const state = foldTrail(type, trail);
  if (state === null) {
    throw new ConflictError(
      'audit-state-unknown',
      `state at version ${version} of ${entry.streamId} is unknown: its audit trail starts after its first event, or its state was stored by an older version of Strata (rebuild the audit projection)`,
    );
  }
  return {
    aggregateType: entry.aggregateType as AuditType,
    aggregateId: entry.aggregateId,
    version,
    occurredAt: entry.occurredAt,
    recordedAt: entry.recordedAt,
    position: entry.position,
    state,
  };
}

async function versionAsOf(
  documents: DocumentStore,
  type: AuditType,
  id: string,
  asOf: string,
): Promise<number> {
  const page = await documents.find<AuditEntry>(AUDIT_COLLECTION, {
    where: { aggregateType: type, aggregateId: id, occurredAt: { lte: asOf } },
    sort: [
      { field: 'occurredAt', direction: 'desc' },
      { field: 'version', direction: 'desc' },
    ],
    limit: 1,
  });
  const entry = page.items[0];
  if (!entry) throw new NotFoundError(`${type} ${id} did not exist at ${asOf}`);
  return entry.version;
}
