import { createHash } from 'node:crypto';
import { aggregates, type AggregateType } from '../aggregates';

/**
 * The version a snapshot of an aggregate is stored under: its declared `stateVersion` plus a
 * digest of the source of its `evolve`, its event schema versions and its upcasters. A snapshot
 * is only ever read back by the same version, so an edited `evolve`, a new schema version or a
 * changed upcaster makes every stored snapshot of that aggregate stale at once, and states are
 * folded from the events again (and snapshotted anew) instead of from a state the new code
 * would not have produced.
 */
export function snapshotVersionOf(type: AggregateType): string {
  const definition = aggregates[type];
  const digest = createHash('sha256')
    .update(
      JSON.stringify({
        evolve: definition.decider.evolve.toString(),
        schemaVersions: definition.schemaVersions,
        upcasters: definition.upcasters.map((u) => [u.type, u.fromVersion, u.upcast.toString()]),
      }),
    )
    .digest('hex')
    .slice(0, 16);
  return `${type}.${definition.stateVersion}.${digest}`;
}
