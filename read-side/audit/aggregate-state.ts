import type { DocumentStore, JsonValue } from '../../shared-kernel/document-store/port';
import { ConflictError, NotFoundError } from '../../shared-kernel/errors';
import {
  AUDIT_COLLECTION,
  checkpointingOf,
  type AuditEntry,
} from '../../projections/read-models/audit';
import { foldTrail } from '../../projections/read-models/audit-state';
import { entryOf, type AuditType } from './audit-queries';

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
 * before that version, so a query reads the entries between two checkpoints at most, however
 * long the history (`AUDIT_STATE_EVERY`, more for a big state: audit-checkpoints.ts).
 */
export async function aggregateState(
  documents: DocumentStore,
  type: AuditType,
  id: string,
  at: StateAt,
): Promise<AggregateState> {
  const target = await entryAt(documents, type, id, at);
  const { version } = target;
  const { checkpoint } = checkpointingOf(target);
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

/** The entry the state is asked after: by its version, or the latest as of a time. */
async function entryAt(
  documents: DocumentStore,
  type: AuditType,
  id: string,
  at: StateAt,
): Promise<AuditEntry> {
  if ('version' in at) {
    const entry = await entryOf(documents, type, id, at.version);
    if (entry === null) throw new NotFoundError(`${type} ${id} has no version ${at.version}`);
    return entry;
  }
  const page = await documents.find<AuditEntry>(AUDIT_COLLECTION, {
    where: { aggregateType: type, aggregateId: id, occurredAt: { lte: at.asOf } },
    sort: [
      { field: 'occurredAt', direction: 'desc' },
      { field: 'version', direction: 'desc' },
    ],
    limit: 1,
  });
  const entry = page.items[0];
  if (!entry) throw new NotFoundError(`${type} ${id} did not exist at ${at.asOf}`);
  return entry;
}
