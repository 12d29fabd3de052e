import type { estypes } from '@elastic/elasticsearch';
import { StoreError, UnavailableError } from '../../errors';
import { isTransientItemStatus } from './elasticsearch-errors';
import type { PreparedOperation } from '../prepare-operations';
import type { BulkResult, IndexDeclaration } from '../port';

/**
 * NDJSON lines for `_bulk`, every operation an `index` with `version_type: external`: a delete
 * is a tombstone document (see mapping.ts). The action line is written as text so that the
 * version goes out as the exact decimal of the position: JSON numbers in JavaScript lose
 * precision past 2^53, Elasticsearch's `long` does not. The client sends string lines as is.
 */
export function bulkLines(
  target: string,
  declaration: IndexDeclaration,
  ops: readonly PreparedOperation[],
): string[] {
  const lines: string[] = [];
  for (const op of ops) {
    const action = JSON.stringify({ _index: target, _id: op.id, version_type: 'external' });
    lines.push(`{"index":${action.slice(0, -1)},"version":${op.versionDecimal}}}`);
    lines.push(JSON.stringify(op.op === 'delete' ? tombstone(op.id) : source(declaration, op)));
  }
  return lines;
}

function tombstone(id: string) {
  return { id, deleted: true };
}

function source(declaration: IndexDeclaration, op: Extract<PreparedOperation, { op: 'upsert' }>) {
  const body: Record<string, unknown> = { id: op.id, deleted: false, doc: op.doc };
  declaration.text.forEach((field, i) => (body[field.name] = op.text[i]));
  declaration.fields.forEach((field, i) => (body[field.name] = op.values[i]));
  return body;
}

/**
 * A version conflict (409) means the index already holds this version or a newer one: the
 * operation is ignored, as the port promises. An item refused for load (429, 503: a full write
 * queue, a shard moving) fails the call as unavailable, to be replayed whole; any other item
 * error fails it for good. The items before it may be applied, which is safe because replaying
 * the batch is idempotent.
 */
export function bulkOutcome(response: estypes.BulkResponse, target: string): BulkResult {
  let applied = 0;
  let ignored = 0;
  let busy: string | null = null;
  for (const item of response.items) {
    const result = item.index ?? item.create ?? item.delete ?? item.update;
    if (!result) continue;
    if (!result.error) applied++;
    else if (result.status === 409 && result.error.type === 'version_conflict_engine_exception') {
      ignored++;
    } else {
      const what =
        `Elasticsearch bulk into ${target} failed for ${result._id ?? '?'}: ` +
        `${result.status} ${result.error.type}: ${result.error.reason ?? ''}`;
      if (!isTransientItemStatus(result.status)) throw new StoreError(what);
      busy ??= what;
    }
  }
  if (busy !== null) throw new UnavailableError(busy);
  return { applied, ignored };
}
