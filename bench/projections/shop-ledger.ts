import type { Decider } from '../../shared-kernel/decider';
import type { DomainEvent, NewEvent } from '../../shared-kernel/events/envelope';
import type { EventUpcasting } from '../../shared-kernel/events/upcasting';
import type { ExpectedRevision } from '../../shared-kernel/event-store/port';
import { newId } from '../../shared-kernel/ids';
import { aggregates, type AggregateType } from '../../write-side/aggregates';
import type { CommandOf, StateOf } from '../../write-side/command-handling/command-request';
import { toNewEvents } from '../../write-side/command-handling/new-events';

/** One append as the command handler would make it: the stream, its events, the expectation. */
export interface Append {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
}

/** Who issues a command: lands in the metadata of the events it causes. */
export interface Cause {
  correlationId: string;
  actor: string;
  causationId?: string;
}

export type ShopLedger = ReturnType<typeof shopLedger>;

/**
 * The write side without the store: each command goes through its aggregate's real decider
 * against the state the earlier ones left, and comes out wrapped exactly as the command handler
 * wraps it (`toNewEvents`: derived event ids, metadata, schema versions). What it appends is
 * therefore what production would append, only without loading streams back from disk.
 */
export function shopLedger(upcasting: EventUpcasting, clock: () => string) {
  const streams = new Map<string, { state: unknown; revision: number }>();
  const deciderOf = (aggregate: AggregateType) =>
    aggregates[aggregate].decider as unknown as Decider<unknown, unknown, DomainEvent>;

  return {
    /** The append the command causes, or null when the decider says it is already satisfied. */
    run<A extends AggregateType>(
      aggregate: A,
      id: string,
      command: CommandOf<A>,
      cause: Cause,
    ): Append | null {
      const decider = deciderOf(aggregate);
      const streamId = aggregates[aggregate].streamPrefix + id;
      const known = streams.get(streamId) ?? { state: decider.initialState, revision: -1 };
      const decided = decider.decide(command, known.state);
      if (decided.length === 0) return null;
      const state = decided.reduce((s, event) => decider.evolve(s, event), known.state);
      streams.set(streamId, { state, revision: known.revision + decided.length });
      const context = { ...cause, occurredAt: clock() };
      return {
        streamId,
        events: toNewEvents(decided, newId(), context, upcasting),
        expected: known.revision === -1 ? 'no_stream' : known.revision,
      };
    },
    state<A extends AggregateType>(aggregate: A, id: string): StateOf<A> {
      const known = streams.get(aggregates[aggregate].streamPrefix + id);
      return (known?.state ?? deciderOf(aggregate).initialState) as StateOf<A>;
    },
    /** Revision of the stream's last event; -1 for a stream with none. */
    revision(aggregate: AggregateType, id: string): number {
      return streams.get(aggregates[aggregate].streamPrefix + id)?.revision ?? -1;
    },
    /** Drops a stream that will see no more commands, so memory stays flat over a long history. */
    forget(aggregate: AggregateType, id: string): void {
      streams.delete(aggregates[aggregate].streamPrefix + id);
    },
    /** Streams whose state is still held. */
    size: () => streams.size,
    now: clock,
  };
}
