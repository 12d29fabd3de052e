import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { loadDeadLetters } from '../engine/dead-letter-store';
import { deadLetterId, type DeadLetter } from '../engine/dead-letters';

export type LetterOutcome =
  { kind: 'released' } | { kind: 'failed-again'; error: string } | { kind: 'pending' };

export interface LetterReport {
  processor: string;
  streamId: string;
  revision: number;
  eventType: string;
  outcome: LetterOutcome['kind'];
  error: string | null;
}

/**
 * What the worker did with a marked letter: it deletes the letter when the held events went
 * through, or clears the request and records the new error when they failed again. A letter
 * still carrying the request has not been looked at yet.
 */
export function outcomeOf(now: DeadLetter | undefined): LetterOutcome {
  if (now === undefined) return { kind: 'released' };
  if (now.request === null) return { kind: 'failed-again', error: now.error };
  return { kind: 'pending' };
}

export function reportOf(marked: DeadLetter, outcome: LetterOutcome): LetterReport {
  return {
    processor: marked.processor,
    streamId: marked.streamId,
    revision: marked.revision,
    eventType: marked.eventType,
    outcome: outcome.kind,
    error: outcome.kind === 'failed-again' ? outcome.error : null,
  };
}

/**
 * Polls the dead letters until the worker has acted on every marked one or `waitMs` is over.
 * The worker looks at requests once per heartbeat interval, so a second is a typical wait.
 */
export async function awaitOutcomes(
  store: DocumentStore,
  marked: readonly DeadLetter[],
  waitMs: number,
  pollMs = 200,
): Promise<LetterReport[]> {
  const deadline = Date.now() + waitMs;
  const processors = new Set(marked.map((l) => l.processor));
  const processor = processors.size === 1 ? [...processors][0] : undefined;
  while (true) {
    const current = new Map(
      (await loadDeadLetters(store, processor)).map((l) => [
        deadLetterId(l.processor, l.streamId),
        l,
      ]),
    );
    const outcomes = marked.map((letter) =>
      outcomeOf(current.get(deadLetterId(letter.processor, letter.streamId))),
    );
    const settled = outcomes.every((o) => o.kind !== 'pending');
    if (settled || Date.now() >= deadline) {
      return marked.map((letter, i) => reportOf(letter, outcomes[i] ?? { kind: 'pending' }));
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
