import { findAll } from '../../shared-kernel/document-store/find-all';
import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { DEAD_LETTERS, deadLetterId, type DeadLetter } from './dead-letters';

/** Every dead letter of one processor (or of all), read page by page: there are few. */
export async function loadDeadLetters(
  store: DocumentStore,
  processor?: string,
): Promise<DeadLetter[]> {
  return findAll<DeadLetter>(store, DEAD_LETTERS.name, {
    ...(processor ? { where: { processor } } : {}),
    sort: [{ field: 'processor', direction: 'asc' }],
    limit: 500,
  });
}

/** `strata dead-letters retry|skip`: marks letters; the running worker acts on them. */
export async function requestOnDeadLetters(
  store: DocumentStore,
  request: 'retry' | 'skip',
  filter: { processor?: string; streamId?: string },
  now: Date,
): Promise<number> {
  const letters = (await loadDeadLetters(store, filter.processor)).filter(
    (l) => filter.streamId === undefined || l.streamId === filter.streamId,
  );
  if (letters.length === 0) return 0;
  await store.commitBatch({
    writes: letters.map((letter) => ({
      collection: DEAD_LETTERS.name,
      id: deadLetterId(letter.processor, letter.streamId),
      doc: { ...letter, request, requestedAt: now.toISOString() },
    })),
  });
  return letters.length;
}
