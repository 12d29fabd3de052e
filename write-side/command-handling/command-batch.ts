import type { DomainEvent, NewEvent } from '../../shared-kernel/events/envelope';
import type { CommandRequest } from './command-request';

/** What became of one command of a batch: the events it added, or the rule it broke. */
export type BatchOutcome = { appended: number } | { refused: unknown };

/** The steps of one command, as the handler runs them for a single command too. */
export interface BatchSteps {
  /** The command completed with the context its target's state calls for. */
  inContext(request: CommandRequest, state: unknown): Promise<unknown>;
  decide(command: unknown, state: unknown): DomainEvent[];
  evolve(state: unknown, event: DomainEvent): unknown;
  toEvents(request: CommandRequest, decided: DomainEvent[]): NewEvent[];
}

/**
 * Decides commands to one stream one after another, each on the state the ones before it left
 * (exactly what running them one by one would see, without a load and an append between
 * them), and collects their events for a single append. A command its decider refuses adds
 * nothing and is reported; reading its context failing fails the whole batch (nothing appended).
 */
export async function decideInTurn(
  requests: readonly CommandRequest[],
  initial: unknown,
  steps: BatchSteps,
): Promise<{ events: NewEvent[]; outcomes: BatchOutcome[]; state: unknown }> {
  let state = initial;
  const events: NewEvent[] = [];
  const outcomes: BatchOutcome[] = [];
  for (const request of requests) {
    const command = await steps.inContext(request, state);
    let decided: DomainEvent[];
    try {
      decided = steps.decide(command, state);
    } catch (refused) {
      outcomes.push({ refused });
      continue;
    }
    for (const event of decided) state = steps.evolve(state, event);
    events.push(...steps.toEvents(request, decided));
    outcomes.push({ appended: decided.length });
  }
  return { events, outcomes, state };
}
