import {
  MongoError,
  MongoErrorLabel,
  MongoNetworkError,
  MongoOperationTimeoutError,
  MongoServerSelectionError,
  MongoWriteConcernError,
} from 'mongodb';
import { ConfigError, StoreError, StrataError, UnavailableError } from '../../errors';

/**
 * Server codes that mean "not now": no primary (an election, a restart), a node shutting down,
 * the network, a lock or write conflict inside a transaction, an operation out of time.
 */
const TRANSIENT_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  24, // LockTimeout
  46, // LockBusy
  50, // MaxTimeMSExpired
  89, // NetworkTimeout
  91, // ShutdownInProgress
  112, // WriteConflict
  134, // ReadConcernMajorityNotAvailableYet
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

const TRANSIENT_LABELS = [
  MongoErrorLabel.TransientTransactionError,
  // The commit may or may not have happened: a replay is refused by the checkpoint, so safe.
  MongoErrorLabel.UnknownTransactionCommitResult,
  MongoErrorLabel.RetryableWriteError,
  MongoErrorLabel.RetryableError,
  MongoErrorLabel.SystemOverloadedError,
];

/** True when waiting and trying again may succeed: the batch is not poison, the store is away. */
export function isTransientMongoError(error: unknown): boolean {
  if (!(error instanceof MongoError)) return false;
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoOperationTimeoutError
  ) {
    return true;
  }
  if (TRANSIENT_LABELS.some((label) => error.hasErrorLabel(label))) return true;
  const code =
    error instanceof MongoWriteConcernError
      ? (error.result?.writeConcernError?.code ?? error.code)
      : error.code;
  return typeof code === 'number' && TRANSIENT_CODES.has(code);
}

/**
 * What callers see of a MongoDB failure: `UnavailableError` when it is transient (the runner
 * then retries the batch, never parks it), `StoreError` otherwise, both naming the store by
 * its URL without credentials.
 */
export function mapMongoError(error: unknown, where: string): Error {
  if (error instanceof StrataError || !(error instanceof MongoError)) return error as Error;
  if (isTransientMongoError(error)) {
    return new UnavailableError(`read-model store ${where} is unavailable: ${error.message}`, 1, {
      cause: error,
    });
  }
  return new StoreError(`read-model store ${where}: ${error.message}`, { cause: error });
}

/**
 * Batches commit in multi-document transactions, which a standalone mongod refuses; that is
 * said at open, naming the variable, not on the first batch. `hello` of a replica-set member
 * carries `setName`; a mongos says `msg: 'isdbgrid'`.
 */
export function checkTransactionsSupported(hello: Record<string, unknown>, where: string): void {
  if (typeof hello.setName === 'string' || hello.msg === 'isdbgrid') return;
  throw new ConfigError(
    `MONGO_URL: ${where} is a standalone mongod; read-model batches commit in transactions, ` +
      'which need a replica set (a one-member set will do: start mongod with --replSet and ' +
      'run rs.initiate()) or a sharded cluster',
  );
}
