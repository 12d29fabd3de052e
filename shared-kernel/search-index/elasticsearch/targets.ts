import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { ConflictError, NotFoundError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { parseTargetName, targetName } from '../declaration';
import type { AliasState, IndexDeclaration } from '../port';
import { liveSettings, previousAlias, targetBody } from './mapping';

export interface TargetSettings {
  /** Copies of a live target (a target being filled has none). */
  replicas: number;
  /** How long a swap waits for those copies before it goes ahead, warning. */
  replicaWaitMs: number;
  logger?: Logger;
}

/**
 * Targets are indices `<index>__v<sequence>`; the alias `<index>` points at the live one and
 * `<index>__previous` at the one before, so both swap and rollback are a single atomic
 * `updateAliases` call and the state survives restarts without any store of our own.
 */
export function elasticsearchTargets(
  client: Client,
  declared: (name: string) => IndexDeclaration,
  settings: TargetSettings,
) {
  const state = async (indexName: string): Promise<AliasState> => {
    declared(indexName);
    // Lists every matching index, with `aliases: {}` for those holding none.
    const indices = await client.indices.getAlias({
      index: `${indexName}__v*`,
      expand_wildcards: 'open',
    });
    const targets = Object.keys(indices)
      .filter((name) => parseTargetName(name)?.indexName === indexName)
      .sort((a, b) => (parseTargetName(a)?.sequence ?? 0) - (parseTargetName(b)?.sequence ?? 0));
    const holding = (alias: string) =>
      targets.find((target) => indices[target]?.aliases?.[alias] !== undefined) ?? null;
    return { live: holding(indexName), previous: holding(previousAlias(indexName)), targets };
  };

  const targetOf = async (target: string): Promise<string> => {
    const parsed = parseTargetName(target);
    if (!parsed || !(await client.indices.exists({ index: target }))) {
      throw new NotFoundError(`search index target ${target} does not exist`);
    }
    return parsed.indexName;
  };

  const moveAliases = (actions: estypes.IndicesUpdateAliasesAction[]) =>
    client.indices.updateAliases({ actions });

  return {
    state,
    targetOf,

    /** Another process making a target at the same moment takes the next number. */
    async create(indexName: string): Promise<string> {
      const { targets } = await state(indexName);
      const last = Math.max(0, ...targets.map((t) => parseTargetName(t)?.sequence ?? 0));
      for (let sequence = last + 1; ; sequence++) {
        const target = targetName(indexName, sequence);
        try {
          await client.indices.create({ ...targetBody(declared(indexName)), index: target });
          return target;
        } catch (error) {
          if (!alreadyExists(error) || sequence > last + 10) throw error;
        }
      }
    },

    async swap(indexName: string, target: string): Promise<void> {
      if ((await targetOf(target)) !== indexName) {
        throw new ConflictError('foreign-target', `${target} is not a target of ${indexName}`);
      }
      const { live, previous } = await state(indexName);
      if (live === target) return;
      // A target being rebuilt has no copies and no refresh: give it both, and wait for the
      // copies, before it serves.
      await client.indices.putSettings({
        index: target,
        settings: liveSettings(settings.replicas),
      });
      await client.indices.refresh({ index: target });
      const health = await client.cluster.health({
        index: target,
        wait_for_status: 'green',
        timeout: `${Math.ceil(settings.replicaWaitMs / 1000)}s`,
      });
      if (health.timed_out) {
        settings.logger?.warn('search target goes live without all its replicas', {
          target,
          replicas: settings.replicas,
          status: health.status,
          hint: 'a one-node cluster cannot place replicas: set ELASTICSEARCH_REPLICAS=0',
        });
      }
      const actions: estypes.IndicesUpdateAliasesAction[] = [];
      if (previous) actions.push({ remove: { index: previous, alias: previousAlias(indexName) } });
      if (live) {
        actions.push({ remove: { index: live, alias: indexName } });
        actions.push({ add: { index: live, alias: previousAlias(indexName) } });
      }
      actions.push({ add: { index: target, alias: indexName } });
      await moveAliases(actions);
    },

    async rollback(indexName: string): Promise<string> {
      const { live, previous } = await state(indexName);
      if (!previous || !live) {
        throw new ConflictError('no-previous-target', `${indexName} has no previous target`);
      }
      await moveAliases([
        { remove: { index: live, alias: indexName } },
        { remove: { index: previous, alias: previousAlias(indexName) } },
        { add: { index: previous, alias: indexName } },
        { add: { index: live, alias: previousAlias(indexName) } },
      ]);
      return previous;
    },

    async drop(target: string): Promise<void> {
      const indexName = await targetOf(target);
      if ((await state(indexName)).live === target) {
        throw new ConflictError('live-target', `${target} is live for ${indexName}`);
      }
      // Deleting the index also removes the `__previous` alias it may hold.
      await client.indices.delete({ index: target });
    },
  };
}

function alreadyExists(error: unknown): boolean {
  return (
    error instanceof errors.ResponseError &&
    error.body?.error?.type === 'resource_already_exists_exception'
  );
}
