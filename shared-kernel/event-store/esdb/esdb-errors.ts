import { ErrorType, isCommandError } from '@eventstore/db-client';
import type { AppendResult as EsdbAppendResult } from '@eventstore/db-client';
import {
  ConcurrencyError,
  PayloadTooLargeError,
  StoreError,
  StrataError,
  UnavailableError,
} from '../../errors';
import type { ExpectedRevision } from '../port';
import { describeRevision } from './expected-revision';

/** What the failing call was about, for the messages. */
export interface EsdbCallContext {
  url: string;
  streamId?: string;
  /** The port's expected revision of a failed append: reported as given, not as the wire form. */
  expected?: ExpectedRevision;
}

/** gRPC status 14 (UNAVAILABLE): what a refused or dropped connection surfaces as. */
const GRPC_UNAVAILABLE = 14;

/** Client error types that mean "the server cannot answer now": worth retrying later. */
const TRANSIENT = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
]);

/**
 * Turns whatever the client threw into one of our typed errors, so that callers (and the HTTP
 * error middleware) never see EventStoreDB's own classes. `streamId` names the stream in the
 * messages when the failing call was about one.
 */
export function mapEsdbError(error: unknown, context: EsdbCallContext): StrataError {
  if (error instanceof StrataError) return error;
  const { url, streamId } = context;
  const where = streamId === undefined ? url : `${url} (stream ${streamId})`;
  if (!(error instanceof Error)) {
    return new StoreError(`EventStoreDB at ${where} failed: ${String(error)}`, { cause: error });
  }
  if (!isCommandError(error)) {
    if ((error as { code?: unknown }).code === GRPC_UNAVAILABLE) {
      return new UnavailableError(`EventStoreDB at ${where} is unreachable: ${error.message}`, 1, {
        cause: error,
      });
    }
    return new StoreError(`EventStoreDB at ${where} failed: ${error.message}`, { cause: error });
  }
  if (TRANSIENT.has(error.type)) {
    return new UnavailableError(
      `EventStoreDB at ${where} is unavailable (${error.type}): ${error.message}`,
      1,
      { cause: error },
    );
  }
  switch (error.type) {
    case ErrorType.WRONG_EXPECTED_VERSION:
      return new ConcurrencyError(
        error.streamName || (streamId ?? 'unknown'),
        context.expected === undefined
          ? describeRevision(error.expectedVersion)
          : String(context.expected),
        describeRevision(error.actualVersion),
      );
    case ErrorType.STREAM_DELETED:
      // A deleted stream can never be at the revision an append expects.
      return new ConcurrencyError(
        error.streamName || (streamId ?? 'unknown'),
        'a live stream',
        'deleted',
      );
    case ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED:
      return new PayloadTooLargeError(
        `append to ${streamId ?? 'a stream'} exceeds EventStoreDB's maximum of ${error.maxAppendSize} bytes`,
      );
    default:
      return new StoreError(
        `EventStoreDB at ${where} refused the call (${error.type}): ${error.message}`,
        {
          cause: error,
        },
      );
  }
}

/**
 * With `throwOnAppendFailure=false` (refused at connect, see connection-string.ts) the client
 * resolves a wrong expected revision as `{ success: false }`; taken for success, the events would
 * be reported stored and lost. Whatever the option, such an answer is a concurrency conflict.
 */
export function checkAppended(
  result: EsdbAppendResult,
  streamId: string,
  expected: ExpectedRevision,
): EsdbAppendResult {
  if (result.success !== false) return result;
  throw new ConcurrencyError(
    streamId,
    String(expected),
    describeRevision(result.nextExpectedRevision),
  );
}
