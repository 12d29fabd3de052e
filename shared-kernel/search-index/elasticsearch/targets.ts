import type { Client, estypes } from '@elastic/elasticsearch';
import { ConflictError, NotFoundError } from '../../errors';
import { parseTargetName, targetName } from '../declaration';
import type { AliasState, IndexDeclaration } from '../port';
import { previousAlias, targetBody } from './mapping';

/**
 * Targets are indices `<index>__v<sequence>`; the alias `<index>` points at the live one and
 * `<index>__previous` at the one before, so both swap and rollback are a single atomic
 * `updateAliases` call and the state survives restarts without any store of our own.
 */
export function elasticsearchTargets(client: Client, declared: (name: string) => IndexDeclaration) {
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

    async create(indexName: string): Promise<string> {
      const { targets } = await state(indexName);
      const last = targets.map((t) => parseTargetName(t)?.sequence ?? 0);
      const target = targetName(indexName, Math.max(0, ...last) + 1);
      await client.indices.create({ ...targetBody(declared(indexName)), index: target });
      return target;
    },

    async swap(indexName: string, target: string): Promise<void> {
      if ((await targetOf(target)) !== indexName) {
        throw new ConflictError('foreign-target', `${target} is not a target of ${indexName}`);
      }
      const { live, previous } = await state(indexName);
      if (live === target) return;
      // Writes to a target being rebuilt are not refreshed; make them all visible first.
      await client.indices.putSettings({ index: target, settings: { refresh_interval: '1s' } });
      await client.indices.refresh({ index: target });
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
