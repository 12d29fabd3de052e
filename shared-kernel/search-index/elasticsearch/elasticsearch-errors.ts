import { errors } from '@elastic/elasticsearch';
import { StoreError, StrataError, UnavailableError } from '../../errors';

/** Answers that mean "not now": too many requests, a gateway or the cluster unavailable. */
const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

/**
 * What callers see of an Elasticsearch failure. An unreachable or slow node, an overloaded or
 * restarting cluster is `UnavailableError`: the runner retries the batch (replays are safe, every
 * write carries an external version) and never parks it. Anything else is a `StoreError`.
 * Messages name the node by its URL without credentials.
 */
export function mapElasticsearchError(error: unknown, where: string): Error {
  if (error instanceof StrataError) return error;
  if (
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError
  ) {
    return new UnavailableError(`Elasticsearch ${where} is unavailable: ${error.message}`, 1, {
      cause: error,
    });
  }
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    const detail = `${status} ${JSON.stringify(error.body?.error?.reason ?? error.message)}`;
    if (TRANSIENT_STATUS.has(status)) {
      return new UnavailableError(`Elasticsearch ${where} is unavailable: ${detail}`, 1, {
        cause: error,
      });
    }
    return new StoreError(`Elasticsearch ${where}: ${detail}`, { cause: error });
  }
  return new StoreError(`Elasticsearch ${where}: ${(error as Error).message}`, { cause: error });
}

/** A bulk item refused for load (a full write queue, a shard not available): retry the batch. */
export function isTransientItemStatus(status: number): boolean {
  return TRANSIENT_STATUS.has(status);
}
