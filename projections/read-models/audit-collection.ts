import type { CollectionDeclaration } from '../../shared-kernel/document-store/port';

export const AUDIT_COLLECTION = 'audit_entries';

const field = (name: string, direction: 'asc' | 'desc' = 'asc') => ({ field: name, direction });

/** An aggregate's history in order, and events across aggregates newest first, by filter. */
export function auditCollection(): CollectionDeclaration {
  const newest = field('occurredAt', 'desc');
  return {
    name: AUDIT_COLLECTION,
    indexes: [
      {
        name: 'by_aggregate',
        fields: [field('aggregateType'), field('aggregateId'), field('version')],
      },
      // State as of a time: the latest event of one aggregate at or before it.
      {
        name: 'by_aggregate_time',
        fields: [field('aggregateType'), field('aggregateId'), newest, field('version', 'desc')],
      },
      { name: 'by_time', fields: [newest] },
      { name: 'by_actor', fields: [field('actor'), newest] },
      { name: 'by_event_type', fields: [field('eventType'), newest] },
      { name: 'by_aggregate_type', fields: [field('aggregateType'), newest] },
    ],
  };
}
